// Canary vs stable 5xx proportions, one-sided ("is the canary worse?"), with the test chosen by the
// usual rule of thumb for 2×2 tables (Cochran 1954): the z-test's normal approximation is trusted
// only when every expected cell count under the null hypothesis is at least 5; below that —
// which is the common case for a healthy service, where 5xx responses are rare — Fisher's exact
// test, which is valid at any size (and conservative: it errs towards "not significant").

import { fisherExactGreater } from './fisher.js';
import { checkCount, twoProportionZTest } from './proportions.js';

/** Requests one version answered in the window, and how many of them were 5xx. */
export interface ErrorCounts {
  requests: number;
  errors_5xx: number;
}

export type ErrorRateTest = 'fisher-exact' | 'two-proportion-z';

export interface ErrorRateComparison {
  test: ErrorRateTest;
  /** the z statistic when the z-test was used, else null */
  z: number | null;
  /** one-sided p-value of "the canary's 5xx proportion is higher than stable's" */
  p_value: number;
  /** the smallest expected cell of the 2×2 table under the null hypothesis (what chose the test) */
  min_expected: number;
}

/** Below this expected count in any cell of the table, Fisher's exact test is used. */
export const MIN_EXPECTED_FOR_Z = 5;

/**
 * Tests whether the canary's 5xx proportion is significantly above stable's, with Fisher's exact
 * test when any expected cell is below {@link MIN_EXPECTED_FOR_Z}, else the pooled z-test.
 *
 * @example
 * compareErrorRates({ requests: 400, errors_5xx: 9 }, { requests: 4000, errors_5xx: 12 });
 * // { test: 'fisher-exact', z: null, p_value: 0.0000423…, min_expected: 1.909… }
 * @throws RangeError when a side has no requests or more errors than requests
 */
export function compareErrorRates(canary: ErrorCounts, stable: ErrorCounts): ErrorRateComparison {
  checkCount(canary.errors_5xx, canary.requests, 'canary 5xx');
  checkCount(stable.errors_5xx, stable.requests, 'stable 5xx');
  const total = canary.requests + stable.requests;
  const errors = canary.errors_5xx + stable.errors_5xx;
  const expected = [canary.requests, stable.requests].flatMap((rows) => [
    (rows * errors) / total,
    (rows * (total - errors)) / total,
  ]);
  const min_expected = Math.min(...expected);
  if (min_expected < MIN_EXPECTED_FOR_Z) {
    const p_value = fisherExactGreater(
      canary.errors_5xx,
      canary.requests - canary.errors_5xx,
      stable.errors_5xx,
      stable.requests - stable.errors_5xx,
    );
    return { test: 'fisher-exact', z: null, p_value, min_expected };
  }
  const { z, p_value } = twoProportionZTest(
    canary.errors_5xx,
    canary.requests,
    stable.errors_5xx,
    stable.requests,
  );
  return { test: 'two-proportion-z', z, p_value, min_expected };
}
