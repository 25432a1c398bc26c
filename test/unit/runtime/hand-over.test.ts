import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handOver } from '../../../src/runtime/daemon/weights.js';

const running = (digest: string) => ({ digest, serving: true });
const crashed = (digest: string) => ({ digest, serving: false });

test('a stopped version’s share goes to the healthy version with the largest weight', () => {
  const newestFirst = [running('c'), crashed('b'), running('a'), running('z')];
  assert.deepEqual(handOver({ c: 5, b: 60, a: 30, z: 5 }, 'c', newestFirst), { b: 60, a: 35, z: 5 });
});

test('on a tie the newest inherits; with no one weighted nobody does; unknown digests change nothing', () => {
  const newestFirst = [running('c'), running('b'), running('a')];
  assert.deepEqual(handOver({ c: 50, b: 25, a: 25 }, 'c', newestFirst), { b: 75, a: 25 });
  assert.deepEqual(handOver({ c: 100, b: 0 }, 'c', newestFirst), { b: 0 });
  assert.deepEqual(handOver({ b: 100 }, 'x', newestFirst), { b: 100 });
});
