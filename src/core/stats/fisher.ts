// Fisher's exact test on a 2×2 table, one-sided. With the margins fixed, the top-left cell X is
// hypergeometric: P(X = x) ∝ C(r1, x) · C(r2, c1 - x), where r1, r2 are the row totals and c1 the
// first column's total. The one-sided p-value for "the first row has the larger share of the first
// column" (odds ratio > 1, R's alternative = "greater") is P(X >= a).
//
// The probabilities are built by the ratio of consecutive terms,
//     P(x + 1) / P(x) = (r1 - x)(c1 - x) / ((x + 1)(r2 - c1 + x + 1)),
// outwards from the mode (the largest term, set to 1) and normalized by their sum. No factorials,
// so no overflow and no log-gamma approximation; the p-value is summed from its own terms (never
// 1 - the rest), so 2e-122 stays 2e-122. O(support) = O(min(r1, r2, c1, c2)) steps.

/**
 * One-sided Fisher's exact test of the table [[a, b], [c, d]]: the p-value of a ≥ what was observed
 * given the margins — small when the first row (a of a + b) holds a larger share of the first
 * column than the second row (c of c + d). R: `fisher.test(matrix(c(a, c, b, d), 2),
 * alternative = "greater")$p.value`.
 *
 * @example
 * // Fisher's lady tasting tea: 3 of 4 cups right each way
 * fisherExactGreater(3, 1, 1, 3); // 0.2429 (= 17/70)
 * @throws RangeError when a cell is not a non-negative integer
 */
export function fisherExactGreater(a: number, b: number, c: number, d: number): number {
  for (const [cell, v] of Object.entries({ a, b, c, d })) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`Fisher's exact test: cell ${cell} = ${v}`);
  }
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  if (r1 === 0 || r2 === 0) return 1; // an empty row: nothing to compare
  const lo = Math.max(0, c1 - r2);
  const hi = Math.min(r1, c1);
  const next = (x: number): number => ((r1 - x) * (c1 - x)) / ((x + 1) * (r2 - c1 + x + 1));
  const mode = Math.min(hi, Math.max(lo, Math.floor(((r1 + 1) * (c1 + 1)) / (r1 + r2 + 2))));
  let total = 1;
  let tail = mode >= a ? 1 : 0;
  let term = 1;
  for (let x = mode; x < hi && term > 0; x++) {
    term *= next(x); // now P(x + 1)
    total += term;
    if (x + 1 >= a) tail += term;
  }
  term = 1;
  for (let x = mode; x > lo && term > 0; x--) {
    term /= next(x - 1); // now P(x - 1)
    total += term;
    if (x - 1 >= a) tail += term;
  }
  return Math.min(1, tail / total);
}
