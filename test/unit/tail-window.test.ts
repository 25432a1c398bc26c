import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeLines } from '../../src/core/tail-window.js';

test('a window that starts with the text is whole; a cut one loses its first, partial, line', () => {
  assert.equal(completeLines('first\nsecond\n', false), 'first\nsecond\n');
  assert.equal(completeLines('ssword-4be1c9\nnext\n', true), 'next\n');
  assert.equal(completeLines('\nnext\n', true), 'next\n');
  assert.equal(completeLines('no line end at all', true), '');
  assert.equal(completeLines('', false), '');
});
