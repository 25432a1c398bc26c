import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalCdf, normalSf } from '../../../src/core/stats/normal.js';

/** |actual - expected| <= rel · |expected| */
function assertRelClose(actual: number, expected: number, rel: number, what: string): void {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= rel * Math.abs(expected),
    `${what}: got ${actual}, want ${expected} (rel. error ${error / Math.abs(expected)})`,
  );
}

// Φ(x) and Q(x) of the standard normal as computed by R (pnorm), from Apache Commons Statistics'
// commons-statistics-distribution/src/test/resources/.../test.normal.3.properties ("Quantiles
// computed using R").
const points = [-2, -1, 0, 1, 2, 3, 4, 5];
const cdfR = [
  0.022750131948179212055, 0.158655253931457046468, 0.5, 0.841344746068542925777, 0.977249868051820791415,
  0.998650101968369896532, 0.999968328758166880021, 0.999999713348428076465,
];
const sfR = [
  9.7724986805182079141e-1, 8.4134474606854292578e-1, 5.0e-1, 1.5865525393145704647e-1,
  2.2750131948179212055e-2, 1.3498980316300945772e-3, 3.1671241833119924327e-5, 2.8665157187919391185e-7,
];

test('Φ and Q agree with R to a relative 1e-14 over the central range', () => {
  points.forEach((x, i) => {
    assertRelClose(normalCdf(x), cdfR[i]!, 1e-14, `Φ(${x})`);
    assertRelClose(normalSf(x), sfR[i]!, 1e-14, `Q(${x})`);
  });
});

test('far tails keep their relative accuracy (high-precision reference values)', () => {
  // The same file's high-precision values (Matlab VPA) for N(2.1, 1.4²) at x = -10 and -10.3, and
  // its upper tail at 14.5 and 13.9 (z ≈ ∓8.6 to ∓8.9), written here as the nearest doubles. Forming z = (x - 2.1) / 1.4 here costs an ulp
  // or two of z, i.e. about 1e-14 relative in Q, hence the tolerance.
  const z = (x: number): number => (x - 2.1) / 1.4;
  assertRelClose(normalCdf(z(-10)), 2.7412226346110726e-18, 1e-13, 'Φ(z(-10))');
  assertRelClose(normalCdf(z(-10.3)), 4.10456525339188e-19, 1e-13, 'Φ(z(-10.3))');
  assertRelClose(normalSf(z(14.5)), 4.1045652533919036e-19, 1e-13, 'Q(z(14.5))');
  assertRelClose(normalSf(z(13.9)), 1.7495528006975163e-17, 1e-13, 'Q(z(13.9))');
});

test('the three intervals of the approximation join without a step', () => {
  // Cody's branches meet at 0.66291 and sqrt(32); on either side the function must stay monotone
  // and continuous to rounding.
  for (const edge of [0.66291, 5.656854248]) {
    for (const sign of [-1, 1]) {
      const below = normalCdf(sign * (edge - 1e-12));
      const above = normalCdf(sign * (edge + 1e-12));
      assert.ok(Math.abs(above - below) < 1e-12, `jump at ${sign * edge}: ${below} → ${above}`);
    }
  }
  let previous = 0;
  for (let x = -38; x <= 9; x += 0.001) {
    const p = normalCdf(x);
    assert.ok(p >= previous, `not monotone at ${x}`);
    previous = p;
  }
});

test('symmetry: Φ(-x) = Q(x) = 1 - Φ(x)', () => {
  for (let x = 0; x < 8; x += 0.37) {
    assert.equal(normalCdf(-x), normalSf(x));
    assert.ok(Math.abs(normalCdf(x) + normalSf(x) - 1) < 2e-16, `at ${x}`);
  }
});

test('limits: ±Infinity give 1 and 0; NaN stays NaN; beyond -37.519 Φ underflows to 0', () => {
  assert.equal(normalCdf(Infinity), 1);
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalSf(Infinity), 0);
  assert.equal(normalSf(-Infinity), 1);
  assert.ok(Number.isNaN(normalCdf(NaN)));
  assert.equal(normalCdf(-40), 0);
  assert.ok(normalCdf(-37.5) > 0);
});
