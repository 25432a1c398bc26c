import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHead, parseHead } from '../../src/core/journal-head.js';

const HASH = 'ab'.repeat(32);

test('N:HASH round-trips; upper-case hex is read as lower-case', () => {
  assert.equal(formatHead({ rows: 12, hash: HASH }), `12:${HASH}`);
  assert.deepEqual(parseHead(`12:${HASH}`, '--expect-head'), { rows: 12, hash: HASH });
  assert.deepEqual(parseHead(`0:${'0'.repeat(64)}\n`, '--expect-head'), { rows: 0, hash: '0'.repeat(64) });
  assert.deepEqual(parseHead(`3:${HASH.toUpperCase()}`, '--expect-head'), { rows: 3, hash: HASH });
});

test('anything but N:HASH is a usage error naming the option, quoted on one line', () => {
  for (const bad of [
    '',
    '12',
    HASH,
    `12:${HASH.slice(1)}`,
    `12:${HASH}0`,
    `-1:${HASH}`,
    `012:${HASH}`,
    `1.5:${HASH}`,
    `99999999999999999:${HASH}`,
    `12:${'g'.repeat(64)}`,
    `12 :${HASH}`,
    `12:${HASH}\nrm -rf /`,
  ]) {
    assert.throws(
      () => parseHead(bad, '--expect-head'),
      (err: any) => {
        assert.equal(err.code, 'E_USAGE', bad);
        assert.match(err.message, /^--expect-head: ".*" is not N:HASH \(/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      },
    );
  }
});
