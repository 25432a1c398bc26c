// Every latency number the verdict needs, from the two raw samples, with each side sorted once:
// the usable sample sizes, medians and p95s (nearest rank, as the runtime reports p95), the
// Mann-Whitney test, the Hodges-Lehmann shift and the ratio of medians. No policy here: this says
// what was measured; ./verdict.ts says what it means.

import { hodgesLehmannShiftOfSorted } from './hodges-lehmann.js';
import { mannWhitneyUOfSorted, type MannWhitneyResult } from './mann-whitney.js';
import { medianOfSorted, percentileOfSorted, prepareLatencies } from './sample.js';

export interface LatencySummary {
  /** usable latencies (finite, >= 0) */
  samples: number;
  /** values left out as not latencies (NaN, ±Infinity, negative) */
  dropped: number;
  /** nearest-rank median, ms; null when there are no samples */
  median_ms: number | null;
  /** nearest-rank 95th percentile, ms; null when there are no samples */
  p95_ms: number | null;
}

export interface LatencyComparison {
  canary: LatencySummary;
  stable: LatencySummary;
  /** null when either side has no usable latency */
  mann_whitney: MannWhitneyResult | null;
  /** median of canary - stable over all pairs, ms; positive when the canary is slower */
  hodges_lehmann_ms: number | null;
  /** canary median / stable median; null when either is missing or stable's is 0 */
  median_ratio: number | null;
  /** (median_ratio - 1) · 100 */
  median_increase_pct: number | null;
}

function summarize(sorted: Float64Array, dropped: number): LatencySummary {
  const empty = sorted.length === 0;
  return {
    samples: sorted.length,
    dropped,
    median_ms: empty ? null : medianOfSorted(sorted),
    p95_ms: empty ? null : percentileOfSorted(sorted, 0.95),
  };
}

/**
 * Measures how the canary's latencies compare with stable's over the same window.
 *
 * @param canary one latency per canary request, ms (unusable values are dropped and counted)
 * @param stable one latency per stable request, ms
 */
export function compareLatencies(canary: ArrayLike<number>, stable: ArrayLike<number>): LatencyComparison {
  const c = prepareLatencies(canary);
  const s = prepareLatencies(stable);
  const summaries = { canary: summarize(c.sorted, c.dropped), stable: summarize(s.sorted, s.dropped) };
  if (c.sorted.length === 0 || s.sorted.length === 0) {
    return {
      ...summaries,
      mann_whitney: null,
      hodges_lehmann_ms: null,
      median_ratio: null,
      median_increase_pct: null,
    };
  }
  const canaryMedian = summaries.canary.median_ms!;
  const stableMedian = summaries.stable.median_ms!;
  const ratio = stableMedian > 0 ? canaryMedian / stableMedian : null;
  return {
    ...summaries,
    mann_whitney: mannWhitneyUOfSorted(c.sorted, s.sorted),
    hodges_lehmann_ms: hodgesLehmannShiftOfSorted(c.sorted, s.sorted),
    median_ratio: ratio,
    median_increase_pct: ratio === null ? null : (ratio - 1) * 100,
  };
}
