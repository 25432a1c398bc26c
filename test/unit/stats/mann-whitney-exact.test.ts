import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactTwoSidedP, exactUCounts, isExactFeasible } from '../../../src/core/stats/mann-whitney-exact.js';

function cdf(m: number, n: number): number[] {
  const counts = exactUCounts(m, n);
  const total = counts.reduce((a, b) => a + b, 0);
  let running = 0;
  return Array.from(counts, (c) => (running += c) / total);
}

// P(U <= u) for u = 0, 1, …, tabulated by Mann & Whitney (1947), "On a test of whether one of two
// random variables is stochastically larger than the other", Ann. Math. Statist. 18, p. 52, to 3
// decimals — as transcribed in scipy/stats/tests/test_mannwhitneyu.py (keys: n, then m).
const table: Record<number, Record<number, number[]>> = {
  3: { 1: [0.25, 0.5, 0.75], 2: [0.1, 0.2, 0.4, 0.6], 3: [0.05, 0.1, 0.2, 0.35, 0.5, 0.65] },
  4: {
    1: [0.2, 0.4, 0.6],
    2: [0.067, 0.133, 0.267, 0.4, 0.6],
    3: [0.028, 0.057, 0.114, 0.2, 0.314, 0.429, 0.571],
    4: [0.014, 0.029, 0.057, 0.1, 0.171, 0.243, 0.343, 0.443, 0.557],
  },
  5: {
    1: [0.167, 0.333, 0.5, 0.667],
    2: [0.047, 0.095, 0.19, 0.286, 0.429, 0.571],
    3: [0.018, 0.036, 0.071, 0.125, 0.196, 0.286, 0.393, 0.5, 0.607],
    4: [0.008, 0.016, 0.032, 0.056, 0.095, 0.143, 0.206, 0.278, 0.365, 0.452, 0.548],
    5: [0.004, 0.008, 0.016, 0.028, 0.048, 0.075, 0.111, 0.155, 0.21, 0.274, 0.345, 0.421, 0.5, 0.579],
  },
  6: {
    1: [0.143, 0.286, 0.428, 0.571],
    2: [0.036, 0.071, 0.143, 0.214, 0.321, 0.429, 0.571],
    3: [0.012, 0.024, 0.048, 0.083, 0.131, 0.19, 0.274, 0.357, 0.452, 0.548],
    4: [0.005, 0.01, 0.019, 0.033, 0.057, 0.086, 0.129, 0.176, 0.238, 0.305, 0.381, 0.457, 0.543],
    5: [
      0.002, 0.004, 0.009, 0.015, 0.026, 0.041, 0.063, 0.089, 0.123, 0.165, 0.214, 0.268, 0.331, 0.396, 0.465,
      0.535,
    ],
    6: [
      0.001, 0.002, 0.004, 0.008, 0.013, 0.021, 0.032, 0.047, 0.066, 0.09, 0.12, 0.155, 0.197, 0.242, 0.294,
      0.35, 0.409, 0.469, 0.531,
    ],
  },
};

test("Mann & Whitney's 1947 table of P(U <= u), to its 3 decimals", () => {
  for (const [n, byM] of Object.entries(table)) {
    for (const [m, expected] of Object.entries(byM)) {
      const actual = cdf(Number(m), Number(n));
      expected.forEach((p, u) => {
        assert.ok(Math.abs(actual[u]! - p) <= 1e-3 + 1e-12, `m=${m} n=${n} u=${u}: ${actual[u]} vs ${p}`);
      });
    }
  }
});

// Critical values of U for a two-tailed test at α = 0.05 (reject when U <= the value), from the
// standard printed table (e.g. "Critical values of Mann-Whitney U at p = 0.05 (two-tailed test)",
// numeracy-bank.net/?q=t/stt/mwu/3). The exact two-sided p must be <= 0.05 at the critical value
// and above 0.05 one step higher.
const critical: [number, number, number][] = [
  [5, 5, 2],
  [5, 10, 8],
  [7, 12, 18],
  [8, 8, 13],
  [10, 10, 23],
  [13, 16, 59],
  [15, 20, 90],
  [20, 20, 127],
];

test('the textbook critical values of U at α = 0.05 (two-tailed)', () => {
  for (const [m, n, u] of critical) {
    assert.ok(exactTwoSidedP(u, m, n) <= 0.05, `${m} x ${n}: p(${u}) = ${exactTwoSidedP(u, m, n)}`);
    assert.ok(
      exactTwoSidedP(u + 1, m, n) > 0.05,
      `${m} x ${n}: p(${u + 1}) = ${exactTwoSidedP(u + 1, m, n)}`,
    );
  }
});

test('the distribution is symmetric, the same for (m, n) and (n, m), and sums to C(m + n, m)', () => {
  for (const [m, n] of [
    [1, 1],
    [3, 7],
    [12, 5],
    [20, 20],
  ] as const) {
    const counts = exactUCounts(m, n);
    assert.equal(counts.length, m * n + 1);
    assert.deepEqual([...counts], [...counts].reverse());
    assert.deepEqual([...counts], [...exactUCounts(n, m)]);
    let binomial = 1;
    for (let k = 1; k <= m; k++) binomial = (binomial * (n + k)) / k;
    assert.equal(Math.round(counts.reduce((a, b) => a + b, 0)), Math.round(binomial));
  }
});

test('two-sided p: twice the smaller tail, capped at 1', () => {
  // 4 vs 4 with U = 0: 2 / C(8, 4) = 2/70 (Commons Statistics, R: 0.028571428571428571).
  assert.equal(exactTwoSidedP(0, 4, 4), 2 / 70);
  assert.equal(exactTwoSidedP(16, 4, 4), 2 / 70);
  assert.equal(exactTwoSidedP(8, 4, 4), 1);
});

test('sizes beyond the feasible work are refused rather than computed for minutes', () => {
  assert.equal(isExactFeasible(49, 49), true);
  assert.equal(isExactFeasible(100, 109), true);
  assert.equal(isExactFeasible(200, 200), false);
  assert.throws(() => exactUCounts(200, 200), /too large/);
});
