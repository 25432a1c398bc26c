import { test } from 'node:test';
import assert from 'node:assert/strict';
import murmurhash from 'murmurhash';
import { bucketOf, isInRollout } from '../../src/core/bucketing.js';

test('matches the Unleash vectors', () => {
  assert.equal(bucketOf('ff-142-api-orders', 'user-0'), 50);
  assert.equal(bucketOf('ff-142-api-orders', 'user-1'), 40);
});

test('0 % is never on and 100 % always is', () => {
  for (let i = 0; i < 500; i++) {
    assert.equal(isInRollout('g', `u${i}`, 0), false);
    assert.equal(isInRollout('g', `u${i}`, 100), true);
  }
});

test('5 % of 10,000 ids land in the rollout, within 1 point', () => {
  let on = 0;
  for (let i = 0; i < 10_000; i++) if (isInRollout('ff-142-api-orders', `user-${i}`, 5)) on++;
  assert.ok(Math.abs(on - 500) <= 100, `got ${on}`);
});

test('raising the percentage only adds users (sticky)', () => {
  for (let i = 0; i < 2000; i++) {
    if (isInRollout('g', `u${i}`, 5)) assert.equal(isInRollout('g', `u${i}`, 25), true);
  }
});

test('an id is hashed as its UTF-8 bytes, like murmurhash@2 hashes a string, whatever its length', () => {
  const ids = ['user-7', 'ünïcödé-👍', 'x'.repeat(300), 'é'.repeat(2000)];
  for (const id of ids) {
    assert.equal(bucketOf('g', id), (murmurhash.v3(`g:${id}`, 0) % 100) + 1, id.slice(0, 20));
  }
});
