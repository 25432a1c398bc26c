import { test } from 'node:test';
import assert from 'node:assert/strict';
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
