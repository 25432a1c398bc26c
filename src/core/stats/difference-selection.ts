// The k-th smallest of the n1·n2 differences x_i - y_j, without forming them. With x and y sorted,
// row j (fixed y_j) increases along x, and as y_j grows every column decreases, so "how many
// differences in each row are below t" is one monotone sweep of two pointers: O(n1 + n2).
//
// Selection on that implicit matrix, as in J. F. Monahan, "Fast computation of the Hodges-Lehmann
// location estimator", ACM TOMS 10 (1984), Algorithm 616 (each row keeps the range of columns
// still in play), with pivots chosen the Floyd-Rivest way (CACM 18, 1975): draw a few hundred of the
// remaining differences, and take two of them that bracket rank k with high probability. One round
// then keeps about a seventh of the candidates, so 10^10 differences need some eight rounds before
// the few thousand left are sorted outright. The draws come from a fixed-seed generator: the core stays
// pure, and the result — exact whatever the draws — is reached by the same steps every time.

const DRAWS = 512;
const SPREAD = 36; // draws either side of k's expected place: about 3 standard deviations
const ENUMERATE = 4096; // candidates few enough to sort outright

/** mulberry32 with a fixed seed: reproducible pivot draws, not a source of randomness. */
function drawSource(): () => number {
  let state = 0x2545f491;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Per row j, `cut[j]` := the first column in [from[j], to[j]) whose difference is not below the
 * pivot (`inclusive` false) or is above it (`inclusive` true); returns how many candidates lie before
 * the cuts, i.e. are < pivot (or <= pivot).
 */
function cutRows(
  x: Float64Array,
  y: Float64Array,
  pivot: number,
  inclusive: boolean,
  from: Int32Array,
  to: Int32Array,
  cut: Int32Array,
): number {
  let column = 0;
  let count = 0;
  for (let j = 0; j < y.length; j++) {
    const yj = y[j]!;
    if (inclusive) while (column < x.length && x[column]! - yj <= pivot) column++;
    else while (column < x.length && x[column]! - yj < pivot) column++;
    const c = column < from[j]! ? from[j]! : column > to[j]! ? to[j]! : column;
    cut[j] = c;
    count += c - from[j]!;
  }
  return count;
}

/** Sorts the `remaining` candidates and returns the k-th of them. */
function sortRemaining(
  x: Float64Array,
  y: Float64Array,
  from: Int32Array,
  to: Int32Array,
  remaining: number,
  k: number,
): number {
  const values = new Float64Array(remaining);
  let v = 0;
  for (let j = 0; j < y.length; j++) for (let i = from[j]!; i < to[j]!; i++) values[v++] = x[i]! - y[j]!;
  return values.sort()[k]!;
}

/** Two remaining candidates that likely bracket rank k (low <= high). */
function drawPivots(
  x: Float64Array,
  y: Float64Array,
  from: Int32Array,
  to: Int32Array,
  k: number,
  draw: () => number,
) {
  const ends = new Float64Array(y.length); // running totals of the rows' candidate counts
  let total = 0;
  for (let j = 0; j < y.length; j++) ends[j] = total += to[j]! - from[j]!;
  const drawn = new Float64Array(DRAWS);
  for (let s = 0; s < DRAWS; s++) {
    const r = Math.floor(draw() * total);
    let lo = 0;
    let hi = y.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    drawn[s] = x[from[lo]! + r - (ends[lo]! - (to[lo]! - from[lo]!))]! - y[lo]!;
  }
  drawn.sort();
  const at = ((k + 0.5) / total) * DRAWS;
  const pick = (i: number): number => drawn[Math.min(DRAWS - 1, Math.max(0, Math.round(i)))]!;
  return { low: pick(at - SPREAD), high: pick(at + SPREAD) };
}

/**
 * The k-th smallest (0-based) of all differences x_i - y_j, for x and y sorted ascending.
 * Expected O((n1 + n2) · log(n1·n2) / log 10) work.
 */
export function selectDifference(x: Float64Array, y: Float64Array, k: number): number {
  const from = new Int32Array(y.length); // row j: columns [from[j], to[j]) are still candidates
  const to = new Int32Array(y.length).fill(x.length);
  const belowLow = new Int32Array(y.length);
  const upToHigh = new Int32Array(y.length);
  const draw = drawSource();
  let remaining = x.length * y.length;
  while (remaining > ENUMERATE) {
    const { low, high } = drawPivots(x, y, from, to, k, draw);
    const countBelowLow = cutRows(x, y, low, false, from, to, belowLow);
    if (k < countBelowLow) {
      to.set(belowLow);
      remaining = countBelowLow;
      continue;
    }
    const countUpToHigh = cutRows(x, y, high, true, from, to, upToHigh);
    if (k >= countUpToHigh) {
      from.set(upToHigh);
      k -= countUpToHigh;
      remaining -= countUpToHigh;
    } else if (low === high || countUpToHigh - countBelowLow === remaining) {
      // Rank k is among the values from low to high, and the band did not shrink: either they are all
      // one value, or low and high are the extremes. Split at low alone, which always removes it.
      const countUpToLow = cutRows(x, y, low, true, from, to, upToHigh);
      if (k < countUpToLow) return low;
      from.set(upToHigh);
      k -= countUpToLow;
      remaining -= countUpToLow;
    } else {
      from.set(belowLow);
      to.set(upToHigh);
      k -= countBelowLow;
      remaining = countUpToHigh - countBelowLow;
    }
  }
  return sortRemaining(x, y, from, to, remaining, k);
}
