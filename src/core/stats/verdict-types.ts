// The shape of a statistical verdict: what goes in, and every number that comes out (the
// deploy result and `cutover status` show them; the journal keeps them). All numbers are finite or
// null, so the verdict survives JSON unchanged.

import type { ErrorRateComparison } from './error-rates.js';
import type { LatencyComparison } from './latency-comparison.js';
import type { StatisticalPolicy } from './policy.js';

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
