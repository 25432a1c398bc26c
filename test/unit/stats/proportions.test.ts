import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoProportionZTest } from '../../../src/core/stats/proportions.js';
import { compareErrorRates } from '../../../src/core/stats/error-rates.js';

function assertClose(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: got ${actual}, want ${expected}`,
  );
}

test("pooled z agrees with R's prop.test(correct = FALSE): z² = X-squared, one-sided p = half the two-sided", () => {
  // R 4.5.2: prop.test(c(30, 50), c(100, 100), correct = FALSE) → X-squared = 8.3333333333333339,
  // p-value = 0.0038924171227786306 (quoted in pystatistics' tests/hypothesis/test_prop_test.py).
  const worse = twoProportionZTest(50, 100, 30, 100);
  assertClose(worse.z * worse.z, 8.3333333333333339, 1e-14, 'z²');
  assert.ok(worse.z > 0);
  assertClose(worse.p_value, 0.0038924171227786306 / 2, 1e-12, 'p');
  const better = twoProportionZTest(30, 100, 50, 100);
  assertClose(better.z, -worse.z, 1e-15, 'z swapped');
  assertClose(better.p_value, 1 - 0.0038924171227786306 / 2, 1e-12, 'p swapped');
});

test('no variance (no errors anywhere, or only errors): z = 0, p = 1', () => {
  assert.deepEqual(twoProportionZTest(0, 1000, 0, 5000), { z: 0, p_value: 1 });
  assert.deepEqual(twoProportionZTest(10, 10, 20, 20), { z: 0, p_value: 1 });
});

test('counts must be integers between 0 and their total', () => {
  assert.throws(() => twoProportionZTest(5, 0, 1, 10), /first group: total 0 must be a positive integer/);
  assert.throws(
    () => twoProportionZTest(11, 10, 1, 10),
    /first group: 11 must be an integer between 0 and 10/,
  );
  assert.throws(() => twoProportionZTest(1, 10, -1, 10), /second group: -1/);
  assert.throws(() => twoProportionZTest(1.5, 10, 1, 10), /first group: 1.5/);
});

test("error rates: Fisher's exact when an expected cell is below 5, the z-test from 5 up", () => {
  // 3 errors in 20,000 requests: expected canary errors 1.5.
  const rare = compareErrorRates({ requests: 10_000, errors_5xx: 3 }, { requests: 10_000, errors_5xx: 0 });
  assert.equal(rare.test, 'fisher-exact');
  assert.equal(rare.z, null);
  assert.equal(rare.min_expected, 1.5);
  // 10 errors of 200 + 200: expected 5 per side exactly — the z-test.
  const five = compareErrorRates({ requests: 200, errors_5xx: 6 }, { requests: 200, errors_5xx: 4 });
  assert.equal(five.test, 'two-proportion-z');
  assert.equal(five.min_expected, 5);
  assert.equal(five.p_value, twoProportionZTest(6, 200, 4, 200).p_value);
  // The other rare cell: nearly everything failing makes the *success* column small.
  const failing = compareErrorRates({ requests: 100, errors_5xx: 99 }, { requests: 100, errors_5xx: 98 });
  assert.equal(failing.test, 'fisher-exact');
});

test('error rates: a canary better than stable is not significant, a clearly worse one is', () => {
  const better = compareErrorRates({ requests: 1000, errors_5xx: 1 }, { requests: 1000, errors_5xx: 30 });
  assert.ok(better.p_value > 0.99);
  const worse = compareErrorRates({ requests: 1000, errors_5xx: 30 }, { requests: 1000, errors_5xx: 1 });
  assert.ok(worse.p_value < 1e-6);
  assert.throws(
    () => compareErrorRates({ requests: 10, errors_5xx: 11 }, { requests: 10, errors_5xx: 0 }),
    /canary 5xx: 11 must be an integer between 0 and 10/,
  );
});
