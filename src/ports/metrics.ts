import type { MetricsSnapshot, RequestSample } from '../core/model/metrics.js';

export type { MetricsSnapshot, RequestSample } from '../core/model/metrics.js';

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
  /** The same source asked about one service (`{{service}}` in Prometheus queries); absent: all one. */
  forService?(service: string): Metrics;
  dispose?(): Promise<void>;
}
