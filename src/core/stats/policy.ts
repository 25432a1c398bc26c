/** The thresholds of the statistical canary analysis (the strategy's `analysis` block mirrors it). */
export interface StatisticalPolicy {
  /** 0 < confidence < 1: a difference is significant when its p-value is below 1 - confidence */
  confidence: number;
  /** the canary's median latency may be at most this much above stable's, percent */
  max_latency_increase_pct: number;
  /** a Hodges-Lehmann latency shift below this many ms never fails, however significant */
  min_latency_shift_ms: number;
  /** absolute ceiling on the canary's 5xx rate, percent of its requests */
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
