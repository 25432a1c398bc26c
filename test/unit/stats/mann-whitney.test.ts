import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU } from '../../../src/core/stats/mann-whitney.js';
import { commonsStatisticsCases } from './fixtures/mann-whitney-r.js';
import { mulberry32 } from './seeded.js';

function assertClose(actual: number, expected: number, rel: number, what: string): void {
  const error = Math.abs(actual - expected);
  assert.ok(error <= rel * Math.abs(expected), `${what}: got ${actual}, want ${expected}`);
}

test("R's wilcox.test, as quoted by Apache Commons Statistics: U and two-sided p to 1e-12", () => {
  for (const c of commonsStatisticsCases) {
    const what = `${c.x.length} x ${c.y.length}, ${c.method}, correct = ${c.continuity}`;
    const r = mannWhitneyU(c.x, c.y, { method: c.method, continuity: c.continuity });
    assert.equal(r.u, c.u, `${what}: U`);
    assertClose(r.p_value, c.p, 1e-12, `${what}: p`);
    // Swapping the samples gives the other U and the same two-sided p.
    const swapped = mannWhitneyU(c.y, c.x, { method: c.method, continuity: c.continuity });
    assert.equal(swapped.u, c.x.length * c.y.length - c.u, `${what}: U swapped`);
    assertClose(swapped.p_value, c.p, 1e-12, `${what}: p swapped`);
  }
});

test('exact is used for small samples without ties; ties fall back to the normal approximation', () => {
  // Commons Statistics' R cases: 9 vs 8 values, exact p = 0.0464 without ties; with a tie
  // (11 in both samples) R reports the normal approximation.
  const exact = mannWhitneyU([2, 4, 6, 8, 10, 12, 14, 16, 18], [-3, -1, 1, 3, 5, 7, 9, 11]);
  assert.equal(exact.method, 'exact');
  assert.equal(exact.ties, false);
  const tied = mannWhitneyU([2, 4, 6, 8, 11, 11, 14, 16, 18], [-3, -1, 1, 3, 5, 7, 9, 11], {
    method: 'exact',
  });
  assert.equal(tied.method, 'normal');
  assert.equal(tied.ties, true);
  assertClose(tied.p_value, 0.047988968229705727, 1e-12, 'tied p');
  // 50 values on one side: R's default (and ours) switches to the normal approximation.
  const fifty = commonsStatisticsCases.find((c) => c.x.length === 50 && c.method === 'normal')!;
  assert.equal(mannWhitneyU(fifty.x, fifty.y).method, 'normal');
  assertClose(mannWhitneyU(fifty.x, fifty.y).p_value, fifty.p, 1e-12, '50 x 58 auto');
  // Asked for exact where it would take too long: the normal approximation, and the result says so.
  const many = Array.from({ length: 300 }, (_, i) => i);
  assert.equal(
    mannWhitneyU(
      many,
      many.map((v) => v + 0.5),
      { method: 'exact' },
    ).method,
    'normal',
  );
});

// scipy/stats/tests/test_mannwhitneyu.py, "All magic numbers are from R wilcox.test".
test('scipy gh-9184 (R: wilcox.test example data): exact, corrected and uncorrected', () => {
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  const exact = mannWhitneyU(x, y);
  assert.equal(exact.u, 35);
  assert.equal(exact.method, 'exact');
  assertClose(exact.p_value, 0.2544122544123, 1e-11, 'exact');
  assertClose(mannWhitneyU(x, y, { method: 'normal' }).p_value, 0.244623605127, 1e-11, 'corrected');
  const uncorrected = mannWhitneyU(x, y, { method: 'normal', continuity: false });
  assertClose(uncorrected.p_value, 0.2206713619198, 1e-11, 'uncorrected');
});

test('scipy gh-4933 case: 3 vs 13 values, exact and normal', () => {
  const x = [210.05211, 110.19063, 307.918612];
  const y = [
    436.08811482466416, 416.3739732976819, 179.96975939463582, 197.8118754228619, 34.038757281225756,
    138.54220550921517, 128.7769351470246, 265.9272142795185, 275.6617533155341, 592.3408339541626,
    448.7317759061702, 300.61495185038905, 187.97508449019588,
  ];
  assert.equal(mannWhitneyU(x, y).u, 16);
  assertClose(mannWhitneyU(x, y).p_value, 0.7035714285714, 1e-11, 'exact');
  assertClose(mannWhitneyU(x, y, { method: 'normal' }).p_value, 0.6865041817876, 1e-11, 'normal');
  const swapped = mannWhitneyU(y, x, { method: 'normal', continuity: false });
  assert.equal(swapped.u, 23);
  assertClose(swapped.p_value, 0.6377328900502, 1e-11, 'uncorrected');
});

test('scipy tie correction case: x = 1..4 against y = 1..5 nudged into and out of ties', () => {
  const x = [1, 2, 3, 4];
  const y0 = [1, 2, 3, 4, 5];
  const dy = [0, 1, 0, 1, 0].map((v) => v * 0.01);
  const dy2 = [0, 0, 1, 0, 0].map((v) => v * 0.01);
  const ys = [
    y0.map((v) => v - 0.01),
    y0.map((v, i) => v - dy[i]!),
    y0.map((v, i) => v - dy2[i]!),
    y0,
    y0.map((v, i) => v + dy2[i]!),
    y0.map((v, i) => v + dy[i]!),
    y0.map((v) => v + 0.01),
  ];
  const uExpected = [10, 9, 8.5, 8, 7.5, 7, 6];
  const pExpected = [
    1, 0.9017048037317, 0.804080657472, 0.7086240584439, 0.6197963884941, 0.5368784563079, 0.3912672792826,
  ];
  ys.forEach((y, i) => {
    const r = mannWhitneyU(x, y, { method: 'normal' });
    assert.equal(r.u, uExpected[i]);
    assertClose(r.p_value, pExpected[i]!, 1e-11, `case ${i}`);
  });
});

test('scipy gh-2118: U at its mean gives p = 1, not more (continuity correction at the centre)', () => {
  for (const [x, y, u] of [
    [[1, 2, 3], [1.5, 2.5], 3],
    [[1, 2, 3], [2], 1.5],
    [[1, 2], [1, 2], 2],
  ] as const) {
    const r = mannWhitneyU(x, y, { method: 'normal' });
    assert.equal(r.u, u);
    assert.equal(r.p_value, 1);
  }
});

test('SAS PROC NPAR1WAY example (reaction times): tie-corrected standard deviation 11.004784', () => {
  // SAS/STAT User's Guide, NPAR1WAY "Exact Wilcoxon Two-Sample Test" data set React: rank sums 110.5
  // and 79.5, "Std Dev Under H0 11.004784" with average scores for ties (U = 79.5 - 6·7/2 = 58.5).
  const stimulus1 = [1.94, 1.94, 2.92, 2.92, 2.92, 2.92, 3.27, 3.27, 3.27, 3.27, 3.7, 3.7, 3.74];
  const stimulus2 = [3.27, 3.27, 3.27, 3.7, 3.7, 3.74];
  const r = mannWhitneyU(stimulus2, stimulus1);
  assert.equal(r.u, 58.5);
  assert.equal(r.mean, 39);
  assert.equal(Math.round(r.sigma * 1e6) / 1e6, 11.004784);
});

test('edge cases: one value per side, all ties, identical samples', () => {
  // scipy: mannwhitneyu(1, 2) exact two-sided (0, 1); mannwhitneyu(1, 1) gives (0.5, 1).
  assert.deepEqual([mannWhitneyU([1], [2]).u, mannWhitneyU([1], [2]).p_value], [0, 1]);
  const same = mannWhitneyU([1], [1]);
  assert.deepEqual([same.u, same.p_value, same.sigma, same.z], [0.5, 1, 0, 0]);
  const allTied = mannWhitneyU([5, 5, 5], [5, 5]);
  assert.deepEqual([allTied.u, allTied.sigma, allTied.z, allTied.p_value], [3, 0, 0, 1]);
  const identical = Array.from({ length: 200 }, (_, i) => (i * 37) % 101);
  const r = mannWhitneyU(identical, identical);
  assert.equal(r.u, r.mean);
  assert.equal(r.p_value, 1);
});

test('empty samples, NaN and Infinity are refused, naming the sample', () => {
  assert.throws(() => mannWhitneyU([], [1]), /two non-empty samples \(0, 1\)/);
  assert.throws(() => mannWhitneyU([1], []), /two non-empty samples \(1, 0\)/);
  assert.throws(() => mannWhitneyU([1, NaN], [1]), /first sample: NaN/);
  assert.throws(() => mannWhitneyU([1], [Infinity]), /second sample: Infinity/);
});

test('huge n: 110,000 identical values per side (Commons Statistics MATH-1145), and 10^5 random values in well under a second', (t) => {
  const d1 = Float64Array.from({ length: 110_000 }, (_, i) => i);
  const same = mannWhitneyU(d1, d1);
  assert.equal(same.u, 6.05e9);
  assert.equal(same.p_value, 1);

  // R: wilcox.test(0:515, 516:1 + 0.5, exact = FALSE) -> W = 132355, p = 0.8718 (Commons Statistics).
  const x = Array.from({ length: 516 }, (_, i) => i);
  const y = Array.from({ length: 516 }, (_, i) => 516 - i + 0.5);
  const r = mannWhitneyU(x, y);
  assert.equal(r.u, 132355);
  assertClose(r.p_value, 0.87181181107702632, 1e-12, '516 x 516');

  const uniform = mulberry32(11);
  const a = Float64Array.from({ length: 100_000 }, uniform);
  const b = Float64Array.from({ length: 100_000 }, uniform);
  const started = performance.now();
  const big = mannWhitneyU(a, b);
  const elapsed = performance.now() - started;
  t.diagnostic(
    `Mann-Whitney, 10^5 values per side: ${elapsed.toFixed(0)} ms, p = ${big.p_value.toFixed(2)} (same distribution)`,
  );
  assert.equal(big.method, 'normal');
  assert.ok(big.p_value > 0 && big.p_value <= 1);
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
});
