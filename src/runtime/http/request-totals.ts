// Renard's R10 series: ten steps a decade, each about 26 % wider.
const R10 = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8];

/**
 * Upper bounds (seconds) of the latency histogram `/metrics` exposes: R10 from 1 ms to 63 s. Steps
 * of about 26 % keep a Prometheus-computed p95 near the 20 % a latency verdict cares about, and
 * the bounds are round numbers (100 ms, 200 ms, 400 ms, 1 s…), the thresholds people pick, so a
 * request slower than one of them is never interpolated below it.
 */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = Array.from({ length: 49 }, (_, i) =>
  Number(((R10[i % 10] as number) * 10 ** (Math.floor(i / 10) - 3)).toPrecision(3)),
);

/** Totals since the process started, as they cross the IPC channel (structured clone). */
export interface WireTotals {
  /** requests by status class: index 1 is 1xx … index 5 is 5xx; index 0 anything else */
  classes: number[];
  /** requests per latency bucket (not cumulative), one more than the bounds: the last is +Inf */
  buckets: number[];
  sumSeconds: number;
}

export function emptyTotals(): WireTotals {
  return {
    classes: [0, 0, 0, 0, 0, 0],
    buckets: new Array<number>(LATENCY_BOUNDS_SECONDS.length + 1).fill(0),
    sumSeconds: 0,
  };
}

/** Adds `more` into `into` (both from the same bounds). */
export function addTotals(into: WireTotals, more: WireTotals): void {
  more.classes.forEach((n, i) => (into.classes[i] = (into.classes[i] ?? 0) + n));
  more.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n));
  into.sumSeconds += more.sumSeconds;
}

/**
 * Every request one version answered through one router process since it started: counts only
 * grow, which is what Prometheus counters are (a window forgets; these never do). Recording
 * allocates nothing.
 */
export class RequestTotals {
  private readonly classes = new Float64Array(6);
  private readonly buckets = new Float64Array(LATENCY_BOUNDS_SECONDS.length + 1);
  private sumSeconds = 0;

  add(latencyMs: number, status: number): void {
    const cls = Math.floor(status / 100);
    this.classes[cls >= 1 && cls <= 5 ? cls : 0]! += 1;
    const seconds = Math.max(0, latencyMs) / 1000;
    this.sumSeconds += seconds;
    this.buckets[bucketIndex(seconds)]! += 1;
  }

  toWire(): WireTotals {
    return { classes: [...this.classes], buckets: [...this.buckets], sumSeconds: this.sumSeconds };
  }
}

/** First bound at or above `seconds` (Prometheus's `le`), by binary search; the last index is +Inf. */
function bucketIndex(seconds: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_SECONDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((LATENCY_BOUNDS_SECONDS[mid] as number) >= seconds) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
