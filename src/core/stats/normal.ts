// The standard normal distribution function, after W. J. Cody's ANORM (ACM TOMS Algorithm 715,
// 1993; netlib specfun/anorm), whose rational functions are near-minimax approximations derived
// from Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
// 631-637. Cody states they approximate P(x) to at least 18 significant digits; in IEEE double the
// result is good to a few units in the last place (test/unit/stats/normal.test.ts holds it to a
// relative 1e-14 against R's pnorm, which implements the same algorithm).
//
// Unlike ANORM we evaluate the *smaller* tail directly and only then form 1 - tail, so an upper-tail
// p-value such as Q(8) = 6.2e-16 keeps its relative accuracy instead of rounding to 0.

// The coefficients are written as Cody published them (20 digits) so they can be checked against
// the source; the parser rounds each to the nearest double, which is what the algorithm intends.
/* eslint-disable no-loss-of-precision */

// Coefficients for |x| <= 0.66291 (Cody's A and B).
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249];
const A4 = 0.065682337918207449113;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
// Coefficients for 0.66291 < |x| <= sqrt(32) (Cody's C and D).
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
];
const C8 = 1.0765576773720192317e-8;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
// Coefficients for |x| > sqrt(32) (Cody's P and Q).
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466];
const P4 = 2.9112874951168792e-5;
const P5 = 0.02307344176494017303;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244];
const Q4 = 7.29751555083966205e-5;

const ONE_OVER_SQRT_2PI = 0.39894228040143267794;
/* eslint-enable no-loss-of-precision */
const SMALL = 0.66291; // where P(x) = 0.75
const ROOT32 = 5.656854248;
const UNDERFLOW = 37.519; // Cody's XLOW for IEEE double: Q(y) is below the smallest normal double

/** exp(-y²/2) computed as Cody does, splitting y so the square loses no bits (y >= 0). */
function gaussianFactor(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  const del = (y - head) * (y + head);
  return Math.exp(-head * head * 0.5) * Math.exp(-del * 0.5);
}

/** Q(y) = P(Z > y) for y >= 0.66291 (the smaller tail). */
function upperTail(y: number): number {
  if (y >= UNDERFLOW) return 0;
  if (y <= ROOT32) {
    let num = C8 * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return gaussianFactor(y) * ((num + C[7]!) / (den + D[7]!));
  }
  const xsq = 1 / (y * y);
  let num = P5 * xsq;
  let den = xsq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * xsq;
    den = (den + Q[i]!) * xsq;
  }
  const ratio = (xsq * (num + P4)) / (den + Q4);
  return gaussianFactor(y) * ((ONE_OVER_SQRT_2PI - ratio) / y);
}

/** P(Z <= x) - 1/2 for |x| <= 0.66291. */
function centralPart(x: number): number {
  const xsq = x * x;
  let num = A4 * xsq;
  let den = xsq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * xsq;
    den = (den + B[i]!) * xsq;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/**
 * Standard normal distribution function Φ(x) = P(Z <= x). NaN gives NaN; ±Infinity give 1 and 0.
 *
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) <= SMALL) return 0.5 + centralPart(x);
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}

/**
 * Standard normal survival function Q(x) = P(Z > x) = Φ(-x), accurate in relative terms far into
 * the upper tail (where 1 - Φ(x) would round to 0).
 */
export function normalSf(x: number): number {
  return normalCdf(-x);
}
