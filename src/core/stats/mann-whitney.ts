// Two-sided Mann-Whitney U test (Wilcoxon rank-sum), as R's wilcox.test computes it: U of the first
// sample from its rank sum (mid-ranks for ties), the normal approximation with the tie-corrected
// variance and a continuity correction of 1/2 towards the mean, and — for small samples without
// ties — the exact distribution (./mann-whitney-exact.ts). O(n log n): each side is sorted once and
// the ranks come from one merge of the two sorted arrays.

import { exactTwoSidedP, isExactFeasible } from './mann-whitney-exact.js';
import { normalSf } from './normal.js';
import { sortFinite } from './sample.js';

/** How the p-value was obtained. */
export type MannWhitneyMethod = 'exact' | 'normal';

export interface MannWhitneyOptions {
  /**
   * 'auto' (default) does what R's wilcox.test does by default: exact when both samples have fewer
   * than 50 values and there are no ties, the normal approximation otherwise. 'exact' asks for the
   * exact distribution at any feasible size; with ties it is not defined and the normal
   * approximation is used (`method` in the result says which).
   */
  method?: 'auto' | 'exact' | 'normal';
  /** continuity correction of the normal approximation (default true, as R and scipy) */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, plus half the pairs with x = y */
  u: number;
  n1: number;
  n2: number;
  /** mean of U under the null hypothesis, n1·n2/2 */
  mean: number;
  /** standard deviation of U under the null hypothesis, tie-corrected; 0 when every value is equal */
  sigma: number;
  /** standardized U (with the continuity correction when it is on); positive when the first sample ranks higher */
  z: number;
  /** two-sided p-value */
  p_value: number;
  method: MannWhitneyMethod;
  /** true when some value occurs more than once across both samples */
  ties: boolean;
}

/** Rank sum of the first sample and the tie term Σ(t³ - t), from one merge of both sorted samples. */
function rankBoth(x: Float64Array, y: Float64Array): { rankSumX: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let before = 0; // values ranked so far
  let rankSumX = 0;
  let tieTerm = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    let inX = 0;
    let inY = 0;
    while (i + inX < x.length && x[i + inX] === v) inX++;
    while (j + inY < y.length && y[j + inY] === v) inY++;
    i += inX;
    j += inY;
    const t = inX + inY;
    rankSumX += inX * (before + (t + 1) / 2); // the mid-rank of the tied group
    if (t > 1) tieTerm += t * t * t - t;
    before += t;
  }
  return { rankSumX, tieTerm };
}

/**
 * Mann-Whitney U test of two samples already sorted ascending and free of NaN/Infinity (as
 * {@link prepareLatencies} returns them). See {@link mannWhitneyU}.
 */
export function mannWhitneyUOfSorted(
  x: Float64Array,
  y: Float64Array,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`Mann-Whitney needs two non-empty samples (${n1}, ${n2})`);
  const { rankSumX, tieTerm } = rankBoth(x, y);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const total = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const sigma = Math.sqrt(Math.max(0, variance));
  const d = u - mean;
  const correction = options.continuity === false ? 0 : Math.sign(d) * 0.5;
  // Every value equal: no ordering evidence at all, so z = 0 and p = 1 (R reports NaN here).
  const z = sigma > 0 ? (d - correction) / sigma : 0;
  const ties = tieTerm > 0;
  const wanted = options.method ?? 'auto';
  const exact =
    !ties && ((wanted === 'auto' && n1 < 50 && n2 < 50) || (wanted === 'exact' && isExactFeasible(n1, n2)));
  const p_value = exact ? exactTwoSidedP(u, n1, n2) : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { u, n1, n2, mean, sigma, z, p_value, method: exact ? 'exact' : 'normal', ties };
}

/**
 * Two-sided Mann-Whitney U test: do `x` and `y` come from the same distribution, against one being
 * stochastically larger? O((n1 + n2) log(n1 + n2)); 10^5 values per side take a few milliseconds.
 *
 * @example
 * // R: wilcox.test(c(19, 22, 16, 29, 24), c(20, 11, 17, 12)) -> W = 17, p-value = 0.1111
 * mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]); // { u: 17, p_value: 0.111…, method: 'exact', … }
 * @throws RangeError when a sample is empty or holds NaN or ±Infinity
 */
export function mannWhitneyU(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  return mannWhitneyUOfSorted(sortFinite(x, 'first sample'), sortFinite(y, 'second sample'), options);
}
