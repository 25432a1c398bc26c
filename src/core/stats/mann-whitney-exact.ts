// The exact null distribution of the Mann-Whitney U statistic for samples without ties, used when
// both samples are small (where the normal approximation is poor).
//
// c(i, j, u) = the number of orderings of i values of X and j values of Y with U = u (U counts the
// pairs with X > Y). Looking at the largest of the i + j values: it is an X, which beats all j Ys,
// or it is a Y, which beats nothing, so
//     c(i, j, u) = c(i - 1, j, u - j) + c(i, j - 1, u),   c(0, j, 0) = c(i, 0, 0) = 1
// (Mann & Whitney 1947, eq. 1). Only additions of positive numbers: counts up to C(98, 49) ≈ 2.5e28
// are held in doubles with a relative error of a few ulps, so tail probabilities keep their
// relative accuracy, unlike product formulas that subtract. The work is about m²n²/4 additions:
// 1.4 million for 49 × 49, the largest size the automatic choice uses.

/** Above this many additions the exact distribution is refused (about 0.1 s of work). */
const MAX_WORK = 50_000_000;

/** True when the exact distribution of U for sizes m and n is cheap enough to compute. */
export function isExactFeasible(m: number, n: number): boolean {
  return (m * m * n * n) / 4 <= MAX_WORK;
}

/**
 * Counts of orderings per value of U, u = 0..m·n, for samples of sizes m and n without ties;
 * their sum is C(m + n, m).
 * @throws RangeError when the sizes are beyond {@link isExactFeasible}
 */
export function exactUCounts(m: number, n: number): Float64Array {
  if (!isExactFeasible(m, n)) throw new RangeError(`exact U distribution for ${m} x ${n} is too large`);
  // previous[j] holds c(i - 1, j, ·); current[j] is built from previous[j] and current[j - 1].
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const xLast = previous[j]!; // length (i - 1)·j + 1, shifted by j
      const yLast = current[j - 1]!; // length i·(j - 1) + 1
      const counts = new Float64Array(i * j + 1);
      for (let u = 0; u < yLast.length; u++) counts[u] = yLast[u]!;
      for (let u = 0; u < xLast.length; u++) counts[u + j]! += xLast[u]!;
      current.push(counts);
    }
    previous = current;
  }
  return previous[n]!;
}

/**
 * Exact two-sided p-value of U for samples of sizes m and n without ties: twice the smaller tail,
 * capped at 1 — what R's `wilcox.test(exact = TRUE)` reports.
 *
 * @param u the observed U of the first sample, an integer in 0..m·n
 */
export function exactTwoSidedP(u: number, m: number, n: number): number {
  const counts = exactUCounts(m, n);
  let total = 0;
  let lower = 0; // P(U <= u) · total
  let upper = 0; // P(U >= u) · total
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    total += c;
    if (k <= u) lower += c;
    if (k >= u) upper += c;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}
