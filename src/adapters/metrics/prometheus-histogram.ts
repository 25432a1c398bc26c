import { CutoverError } from '../../core/errors.js';
import { bucketOf, type LatencyHistogram } from '../../core/stats/latency-histogram.js';

/**
 * Prometheus's cumulative buckets (`le` in seconds) as cutover's histogram: each bucket's
 * requests at the geometric middle of its bounds (the first at half its bound, +Inf at 1.26
 * times the last), which both sides of a comparison share.
 */
export function toHistogram(
  series: Array<{ labels: Record<string, string>; value: number | null }>,
): LatencyHistogram {
  const bounds = series
    .map((s) => ({ le: s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le']), n: s.value ?? 0 }))
    .filter((b) => !Number.isNaN(b.le))
    .sort((a, b) => a.le - b.le);
  if (series.length > 0 && bounds.length === 0)
    throw new CutoverError(
      'E_INVALID_INPUT',
      'metrics.queries.latency_histogram: must return one series per `le` label',
    );
  const counts = new Map<number, number>();
  let below = 0;
  let lower = 0;
  for (const { le, n } of bounds) {
    const inBucket = Math.max(0, Math.round(n - below));
    below = Math.max(below, n);
    const ms = le === Infinity ? lower * 1260 : lower === 0 ? (le * 1000) / 2 : Math.sqrt(lower * le) * 1000;
    if (inBucket > 0) counts.set(bucketOf(ms), (counts.get(bucketOf(ms)) ?? 0) + inBucket);
    if (le !== Infinity) lower = le;
  }
  return { buckets: [...counts.entries()].sort((a, b) => a[0] - b[0]) };
}
