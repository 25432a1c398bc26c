import type { LatencyHistogram } from '../core/stats/latency-histogram.js';

/**
 * What one version (or a whole environment) answered in a window: every request's latency,
 * bucketed (see latency-histogram.ts), and how many answered 5xx. The statistical canary verdict
 * compares two of these.
 */
export interface RequestSample {
  requests: number;
  errors_5xx: number;
  latency: LatencyHistogram;
  window_ms: number;
}

/**
 * Measured health of one version over a window. A value is null when there were too few samples to
 * say anything (`samples` tells how many there were): never an invented number.
 */
export interface MetricsSnapshot {
  latency_p95_ms: number | null;
  /** percent of responses with a 5xx status */
  error_rate_5xx: number | null;
  /** percent of one core used by the version's processes */
  cpu_percent: number | null;
  /** requests observed in the window */
  samples: number;
  window_ms: number;
}

/**
 * Reads metrics for one environment.
 *
 * Contract: `snapshot` never throws for "no data" (it returns nulls with `samples: 0`); it throws
 * `E_BASELINE_UNAVAILABLE` only when the source itself cannot be reached or answers garbage.
 */
export interface Metrics {
  readonly name: string;
  /**
   * @param digest the version to measure; undefined means every version serving the environment
   * @param windowMs how far back to look, in milliseconds
   * @param minSamples fewer requests than this give null values
   */
  snapshot(digest: string | undefined, windowMs: number, minSamples: number): Promise<MetricsSnapshot>;
  /**
   * The requests `digest` (undefined: every version serving) answered in the last `windowMs`.
   * Same contract as `snapshot`: no data is a sample of 0 requests, never an error.
   */
  requests(digest: string | undefined, windowMs: number): Promise<RequestSample>;
  dispose?(): Promise<void>;
}
