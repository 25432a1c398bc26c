/**
 * Request latencies bucketed on a log scale, 100 buckets per decade: each bucket is 2.3 % wide,
 * far finer than the 20 % a latency verdict cares about, and a window of any size becomes a few
 * hundred numbers. That is small enough to journal the pre-deploy baseline with its deploy (a
 * canary watched at 100 % has no stable version beside it to compare with), and it is the shape a
 * Prometheus histogram reads into. Both sides of a comparison are always bucketed the same way;
 * values in one bucket are ties to the rank tests, which the tie correction accounts for.
 */
export interface LatencyHistogram {
  /** [bucket index, requests in it], ascending by index; bucket i holds [10^(i/100), 10^((i+1)/100)) ms */
  buckets: Array<[number, number]>;
}

export const BUCKETS_PER_DECADE = 100;
/** Latencies below this (1 µs) share the lowest bucket: a timer's resolution, not a difference. */
const FLOOR_MS = 0.001;

export function bucketOf(ms: number): number {
  return Math.floor(Math.log10(Math.max(ms, FLOOR_MS)) * BUCKETS_PER_DECADE);
}

/** The latency a bucket stands for: its geometric middle. */
export function bucketValue(index: number): number {
  return 10 ** ((index + 0.5) / BUCKETS_PER_DECADE);
}

/** Buckets `latencies`, leaving out what cannot be a latency (NaN, ±Infinity, negative). */
export function histogramOf(latencies: ArrayLike<number>): LatencyHistogram {
  const counts = new Map<number, number>();
  for (let i = 0; i < latencies.length; i++) {
    const v = latencies[i] as number;
    if (!Number.isFinite(v) || v < 0) continue;
    const b = bucketOf(v);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return { buckets: [...counts.entries()].sort((a, b) => a[0] - b[0]) };
}

export function countOf(h: LatencyHistogram): number {
  let n = 0;
  for (const [, count] of h.buckets) n += count;
  return n;
}

/** One latency per request, each its bucket's value, ascending: what the rank tests read. */
export function latenciesOf(h: LatencyHistogram): Float64Array {
  const out = new Float64Array(countOf(h));
  let at = 0;
  for (const [index, count] of h.buckets) {
    out.fill(bucketValue(index), at, at + count);
    at += count;
  }
  return out;
}
