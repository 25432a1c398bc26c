// Samples as the statistics read them: sorted once, ascending, in a Float64Array (whose sort() is
// numeric and much faster than Array#sort with a comparator), and the one percentile definition
// the whole analysis uses.

/** Latencies ready for analysis: the usable ones sorted ascending, and how many were not usable. */
export interface LatencySample {
  sorted: Float64Array;
  /** values that were not a latency (NaN, ±Infinity, negative) and were left out */
  dropped: number;
}

/**
 * Keeps the values that can be a request's latency in ms — finite and >= 0 — sorted ascending, and
 * counts the others. A NaN or an Infinity is a measuring fault, not a slow request: ranking it as
 * the slowest (as scipy does with Infinity) would let one broken timer fail a canary, so it is
 * dropped, and the count is reported so that a side losing many samples is visible.
 */
export function prepareLatencies(latencies: ArrayLike<number>): LatencySample {
  const kept = new Float64Array(latencies.length);
  let n = 0;
  for (let i = 0; i < latencies.length; i++) {
    const v = latencies[i] as number;
    if (Number.isFinite(v) && v >= 0) kept[n++] = v;
  }
  return { sorted: kept.slice(0, n).sort(), dropped: latencies.length - n };
}

/**
 * A sorted copy of `values`. The low-level statistics refuse non-finite values instead of guessing:
 * @throws RangeError naming `what` when a value is NaN or ±Infinity
 */
export function sortFinite(values: ArrayLike<number>, what: string): Float64Array {
  const copy = Float64Array.from(values);
  for (const v of copy) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: ${v} is not a finite number`);
  }
  return copy.sort();
}

/**
 * Percentile by nearest rank: the value at rank ⌈q·n⌉ (1-based) of the sorted sample, so always one
 * of the observed values. It is the definition the runtime's metrics summary uses for the p95 it
 * reports (src/runtime/daemon/metrics-summary.ts), so a p95 here and a p95 in `cutover status` agree.
 * The median is the 50th percentile by the same rule: the lower middle value when n is even.
 *
 * @param sorted ascending values
 * @param q the quantile, 0 < q <= 1 (0.95 for p95)
 * @throws RangeError on an empty sample or q outside (0, 1]
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty sample');
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile: q must be in (0, 1], got ${q}`);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}

/** The nearest-rank median (see {@link percentileOfSorted}). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  return percentileOfSorted(sorted, 0.5);
}
