import type { LatencyHistogram } from '../stats/latency-histogram.js';

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
  /** the source's queries that found no series at all (Prometheus): no data, named, never a 0 */
  missing?: string[];
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
  /** the source's queries that found no series at all (Prometheus): no data, named, never a 0 */
  missing?: string[];
}
