import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hodgesLehmannShift } from '../../../src/core/stats/hodges-lehmann.js';
import { mulberry32 } from './seeded.js';

/** The definition, by brute force: every difference, sorted, the median (mean of the two middles). */
function bruteForce(x: number[], y: number[]): number {
  const d = x.flatMap((a) => y.map((b) => a - b)).sort((p, q) => p - q);
  const mid = Math.floor(d.length / 2);
  return d.length % 2 === 1 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
}

test('SAS PROC NPAR1WAY example (reaction times): Hodges-Lehmann location shift 0.35', () => {
  // SAS/STAT User's Guide, NPAR1WAY "Hodges-Lehmann Estimation": data set React, stimulant 2 minus
  // stimulant 1, "Location Shift 0.3500".
  const stimulus1 = [1.94, 1.94, 2.92, 2.92, 2.92, 2.92, 3.27, 3.27, 3.27, 3.27, 3.7, 3.7, 3.74];
  const stimulus2 = [3.27, 3.27, 3.27, 3.7, 3.7, 3.74];
  assert.ok(Math.abs(hodgesLehmannShift(stimulus2, stimulus1) - 0.35) < 1e-12);
  assert.ok(Math.abs(hodgesLehmannShift(stimulus1, stimulus2) + 0.35) < 1e-12);
});

test('small worked example: the mean of the two middle differences when their count is even', () => {
  assert.equal(hodgesLehmannShift([12, 13, 15], [10, 11]), 2.5); // 1, 2, 2, 3, 4, 5
  assert.equal(hodgesLehmannShift([12, 13, 15], [10]), 3); // 2, 3, 5
  assert.equal(hodgesLehmannShift([4], [1]), 3);
});

test('equals the brute-force median of all differences on 2,000 random sample pairs, ties included', () => {
  const uniform = mulberry32(20240611);
  for (let trial = 0; trial < 2000; trial++) {
    const m = 1 + Math.floor(uniform() * 25);
    const n = 1 + Math.floor(uniform() * 25);
    // Every third trial draws from few distinct values, so ties and equal differences abound.
    const draw = trial % 3 === 0 ? () => Math.floor(uniform() * 4) : () => uniform() * 100;
    const x = Array.from({ length: m }, draw);
    const y = Array.from({ length: n }, draw);
    assert.equal(hodgesLehmannShift(x, y), bruteForce(x, y), `trial ${trial}: ${x} / ${y}`);
  }
});

test('all values equal, and identical samples: a shift of exactly 0', () => {
  assert.equal(hodgesLehmannShift([7, 7, 7], [7, 7]), 0);
  const sample = Array.from({ length: 501 }, (_, i) => (i * 7919) % 1009);
  assert.equal(hodgesLehmannShift(sample, sample), 0);
});

test('10^5 values per side (10^10 differences): exact, checked by convolving integer histograms', (t) => {
  // Integer latencies make every difference an exact integer; the distribution of x - y is then the
  // convolution of the two histograms, from which the median is read off independently.
  const uniform = mulberry32(99);
  const range = 2000;
  const x = Float64Array.from({ length: 100_000 }, () =>
    Math.floor(uniform() * range * 0.9 + uniform() * 300),
  );
  const y = Float64Array.from({ length: 100_000 }, () => Math.floor(uniform() * range * 0.9));
  const hx = new Float64Array(range + 300);
  const hy = new Float64Array(range + 300);
  for (const v of x) hx[v]!++;
  for (const v of y) hy[v]!++;
  const offset = hy.length - 1; // difference d is stored at d + offset
  const conv = new Float64Array(hx.length + hy.length - 1);
  for (let i = 0; i < hx.length; i++) {
    if (hx[i] === 0) continue;
    for (let j = 0; j < hy.length; j++) conv[i - j + offset]! += hx[i]! * hy[j]!;
  }
  const kth = (k: number): number => {
    let seen = 0;
    for (let d = 0; d < conv.length; d++) {
      seen += conv[d]!;
      if (seen > k) return d - offset;
    }
    throw new Error('unreachable');
  };
  const pairs = x.length * y.length;
  const expected = (kth(pairs / 2 - 1) + kth(pairs / 2)) / 2;

  const started = performance.now();
  const actual = hodgesLehmannShift(x, y);
  const elapsed = performance.now() - started;
  t.diagnostic(`Hodges-Lehmann, 10^5 values per side: ${elapsed.toFixed(0)} ms, shift ${actual}`);
  assert.equal(actual, expected);
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
});

test('empty samples, NaN and Infinity are refused', () => {
  assert.throws(() => hodgesLehmannShift([], [1]), /two non-empty samples/);
  assert.throws(() => hodgesLehmannShift([1], []), /two non-empty samples/);
  assert.throws(() => hodgesLehmannShift([NaN], [1]), /first sample: NaN/);
  assert.throws(() => hodgesLehmannShift([1], [-Infinity]), /second sample: -Infinity/);
});
