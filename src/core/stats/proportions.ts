// The pooled two-proportion z-test, one-sided: is the first group's proportion (the canary's 5xx
// rate) greater than the second's (stable's)? Under the null hypothesis both groups share one rate,
// estimated from both together ("pooled"); z² is the chi-squared statistic of R's
// prop.test(correct = FALSE). Good when every expected cell of the 2×2 table is at least 5; below
// that ./fisher.ts is exact (./error-rates.ts chooses).

import { normalSf } from './normal.js';

export interface TwoProportionResult {
  /** (p1 - p2) / SE under the pooled null; 0 when both groups are all-0 or all-1 */
  z: number;
  /** one-sided p-value P(Z >= z): small when the first proportion is larger */
  p_value: number;
}

/**
 * Checks that `count` of `total` is a count: integers, 0 <= count <= total, total >= 1.
 * @throws RangeError naming `what`
 */
export function checkCount(count: number, total: number, what: string): void {
  if (!Number.isInteger(total) || total < 1)
    throw new RangeError(`${what}: total ${total} must be a positive integer`);
  if (!Number.isInteger(count) || count < 0 || count > total) {
    throw new RangeError(`${what}: ${count} must be an integer between 0 and ${total}`);
  }
}

/**
 * One-sided pooled two-proportion z-test of x1/n1 > x2/n2.
 *
 * @example
 * // R: prop.test(c(50, 30), c(100, 100), correct = FALSE, alternative = "greater")
 * twoProportionZTest(50, 100, 30, 100); // { z: 2.8868, p_value: 0.0019462 }
 * @throws RangeError when a count is not an integer between 0 and its total
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoProportionResult {
  checkCount(x1, n1, 'first group');
  checkCount(x2, n2, 'second group');
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, p_value: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p_value: normalSf(z) };
}
