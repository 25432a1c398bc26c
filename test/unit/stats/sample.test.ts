import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  medianOfSorted,
  percentileOfSorted,
  prepareLatencies,
  sortFinite,
} from '../../../src/core/stats/sample.js';
import { summarizeMetrics } from '../../../src/runtime/daemon/metrics-summary.js';

test('nearest-rank percentile: the value at rank ceil(q·n)', () => {
  const oneToTwenty = Float64Array.from({ length: 20 }, (_, i) => i + 1);
  assert.equal(percentileOfSorted(oneToTwenty, 0.95), 19);
  assert.equal(percentileOfSorted(oneToTwenty.subarray(0, 10), 0.95), 10);
  assert.equal(percentileOfSorted([7], 0.95), 7);
  assert.equal(percentileOfSorted([1, 2, 3], 1), 3);
});

test('the median is the lower middle value for an even count (same rule, q = 0.5)', () => {
  assert.equal(medianOfSorted([1, 2, 3, 4]), 2);
  assert.equal(medianOfSorted([1, 2, 3, 4, 5]), 3);
  assert.equal(medianOfSorted([4]), 4);
});

test("p95 is the runtime's p95: same samples, same number as summarizeMetrics reports", () => {
  // Latencies with one decimal, so the runtime's rounding to 0.1 ms does not hide a difference.
  for (const n of [20, 21, 57, 100, 999]) {
    const latencies = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 10 + 0.5);
    const statuses = new Uint16Array(n).fill(200);
    const runtime = summarizeMetrics([], [{ latencies, statuses }], 0, 1000, 1);
    const sorted = Float64Array.from(latencies).sort();
    assert.equal(Math.round(percentileOfSorted(sorted, 0.95) * 10) / 10, runtime.latency_p95_ms, `n = ${n}`);
  }
});

test('percentile refuses an empty sample and a q outside (0, 1]', () => {
  assert.throws(() => percentileOfSorted([], 0.5), /empty sample/);
  assert.throws(() => percentileOfSorted([1], 0), /q must be in/);
  assert.throws(() => percentileOfSorted([1], 1.5), /q must be in/);
  assert.throws(() => percentileOfSorted([1], NaN), /q must be in/);
});

test('prepareLatencies keeps finite non-negative values, sorted, and counts the rest', () => {
  const { sorted, dropped } = prepareLatencies([5, NaN, 1, Infinity, -Infinity, -2, 3, 0]);
  assert.deepEqual([...sorted], [0, 1, 3, 5]);
  assert.equal(dropped, 4);
  const none = prepareLatencies([]);
  assert.equal(none.sorted.length, 0);
  assert.equal(none.dropped, 0);
});

test('sortFinite sorts numerically and refuses NaN and Infinity, naming the sample', () => {
  assert.deepEqual([...sortFinite([10, 9, 100, -1], 'x')], [-1, 9, 10, 100]);
  assert.throws(() => sortFinite([1, NaN], 'canary'), /canary: NaN is not a finite number/);
  assert.throws(() => sortFinite([Infinity], 'stable'), /stable: Infinity is not a finite number/);
});
