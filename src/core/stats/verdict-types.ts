// The contract of the statistical verdict: the policy and what each version did go in; every
// number comes out (the deploy result and `cutover status` show them, the journal keeps them). All
// numbers are finite or null, so a verdict survives JSON unchanged.

import type { ErrorRateComparison } from './error-rates.js';
import type { LatencyComparison } from './latency-comparison.js';

/** The thresholds of the statistical canary analysis (the strategy's `analysis` block mirrors it). */
export interface StatisticalPolicy {
  /** 0 < confidence < 1: a difference is significant when its p-value is below 1 - confidence */
  confidence: number;
  /** the canary's median latency may be at most this much above stable's, percent */
  max_latency_increase_pct: number;
  /** a Hodges-Lehmann latency shift below this many ms never fails, however significant */
  min_latency_shift_ms: number;
  /**
   * absolute ceiling on the canary's 5xx rate, percent of its requests. It is applied to the rate
   * as measured: in a window of 200 requests, 3 errors (1.5 %) cross a 1 % ceiling even when the
   * true rate is 0.2 % (test/unit/stats/simulation.test.ts counts how often).
   */
  max_error_rate_5xx: number;
  /** fewer requests than this on either side is inconclusive */
  min_requests: number;
}

/**
 * Defaults: 98 % confidence and a 5 ms shift floor (issue #11); the percentage, ceiling and
 * request floor are the defaults the strategy schema already has (src/core/schema/strategy.ts).
 */
export const DEFAULT_STATISTICAL_POLICY: Readonly<StatisticalPolicy> = {
  confidence: 0.98,
  max_latency_increase_pct: 20,
  min_latency_shift_ms: 5,
  max_error_rate_5xx: 1,
  min_requests: 50,
};

export type StatisticalVerdictValue = 'pass' | 'fail' | 'inconclusive';

/** What one version did in the analysis window. */
export interface VersionRequests {
  /** one latency per request answered in the window, ms; its length is the request count */
  latencies_ms: ArrayLike<number>;
  /** how many of those requests answered with a 5xx status */
  errors_5xx: number;
}

export interface LatencyVerdict extends LatencyComparison {
  verdict: StatisticalVerdictValue;
  sentence: string;
}

export interface ErrorCountsSummary {
  requests: number;
  errors_5xx: number;
  /** errors_5xx / requests · 100 */
  rate_pct: number;
}

export interface ErrorVerdict {
  verdict: StatisticalVerdictValue;
  sentence: string;
  canary: ErrorCountsSummary;
  stable: ErrorCountsSummary;
  /** the test and its p-value; null when a side served no request */
  comparison: ErrorRateComparison | null;
}

export interface StatisticalVerdict {
  verdict: StatisticalVerdictValue;
  /** one plain sentence for people */
  sentence: string;
  latency: LatencyVerdict;
  errors: ErrorVerdict;
  policy: StatisticalPolicy;
  /** 1 - confidence: p-values below it are significant */
  alpha: number;
}

/** The three conditions a latency failure needs, each of which the sentence may name. */
export interface LatencyGates {
  /** Mann-Whitney p-value below alpha */
  significant: boolean;
  /** median increase above max_latency_increase_pct */
  relative: boolean;
  /** Hodges-Lehmann shift at least min_latency_shift_ms */
  absolute: boolean;
}
