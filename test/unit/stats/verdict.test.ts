import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STATISTICAL_POLICY, judgeCanary } from '../../../src/core/stats/verdict.js';
import { formatP } from '../../../src/core/stats/verdict-sentences.js';

const policy = DEFAULT_STATISTICAL_POLICY;

/** 200 latencies: `base`, base + 0.1, …, base + 1.9 ms, each ten times (nearest-rank median base + 0.9). */
function ladder(base: number, n = 200): number[] {
  return Array.from({ length: n }, (_, i) => Math.round((base + (i % 20) * 0.1) * 10) / 10);
}

const healthy = (latencies: number[], errors = 0) => ({ latencies_ms: latencies, errors_5xx: errors });

test('a regression that is significant, relatively large and absolutely large fails, and says so', () => {
  const v = judgeCanary(healthy(ladder(18)), healthy(ladder(10)), policy);
  assert.equal(v.verdict, 'fail');
  assert.equal(v.latency.verdict, 'fail');
  assert.equal(v.latency.canary.median_ms, 18.9);
  assert.equal(v.latency.stable.median_ms, 10.9);
  assert.equal(v.latency.canary.p95_ms, 19.8);
  assert.ok(v.latency.mann_whitney!.p_value < 1e-10);
  assert.equal(v.latency.mann_whitney!.u, 200 * 200);
  assert.ok(Math.abs(v.latency.hodges_lehmann_ms! - 8) < 1e-9);
  assert.equal(
    v.latency.sentence,
    `latency: canary median 18.9 ms vs stable 10.9 ms (+73.4 %, Hodges-Lehmann +8.0 ms), p = ${formatP(v.latency.mann_whitney!.p_value)} < 0.02 → fail`,
  );
  assert.equal(v.errors.verdict, 'pass');
  assert.equal(
    v.errors.sentence,
    "errors: canary 5xx 0 % (0 of 200) vs stable 0 % (0 of 200), Fisher's exact p = 1 ≥ 0.02 → pass",
  );
  assert.equal(v.sentence, `${v.latency.sentence}; ${v.errors.sentence}`);
});

test('significant but within max_latency_increase_pct passes, naming the threshold that held', () => {
  const v = judgeCanary(healthy(ladder(11)), healthy(ladder(10)), policy);
  assert.equal(v.latency.verdict, 'pass');
  assert.ok(v.latency.mann_whitney!.p_value < 0.02);
  assert.match(
    v.latency.sentence,
    /\(\+9\.2 %, Hodges-Lehmann \+1\.0 ms\), p = .+ < 0\.02 but \+9\.2 % is not above max_latency_increase_pct 20 → pass$/,
  );
});

test('significant and +50 % but only 1 ms on a fast service passes: below min_latency_shift_ms', () => {
  const v = judgeCanary(healthy(ladder(2)), healthy(ladder(1)), policy);
  assert.equal(v.verdict, 'pass');
  assert.equal(v.latency.median_increase_pct! > 20, true);
  assert.match(v.latency.sentence, /but the shift \+1\.0 ms is below min_latency_shift_ms 5 → pass$/);
});

test('not significant passes with the p-value and the threshold; a faster canary passes too', () => {
  const same = judgeCanary(healthy(ladder(10)), healthy(ladder(10)), policy);
  assert.equal(same.verdict, 'pass');
  assert.equal(
    same.latency.sentence,
    'latency: canary median 10.9 ms vs stable 10.9 ms (+0.0 %, Hodges-Lehmann +0.0 ms), p = 1 ≥ 0.02 → pass',
  );
  const faster = judgeCanary(healthy(ladder(5)), healthy(ladder(10)), policy);
  assert.equal(faster.verdict, 'pass');
  assert.match(faster.latency.sentence, /\(-45\.9 %, Hodges-Lehmann -5\.0 ms\)/);
});

test('fewer than min_requests on either side is inconclusive, named with the counts, never a pass', () => {
  const v = judgeCanary(healthy(ladder(10, 30)), healthy(ladder(10, 1200)), policy);
  assert.equal(v.verdict, 'inconclusive');
  assert.equal(
    v.sentence,
    'inconclusive: the canary served 30 requests and stable 1200, fewer than min_requests 50 on the canary side',
  );
  assert.equal(v.latency.verdict, 'inconclusive');
  assert.equal(v.errors.verdict, 'inconclusive');
  // The numbers are still measured and reported.
  assert.equal(v.latency.canary.samples, 30);
  assert.notEqual(v.latency.mann_whitney, null);
  const both = judgeCanary(healthy([1, 2]), healthy([3]), policy);
  assert.match(both.sentence, /served 2 requests and stable 1, fewer than min_requests 50 on both sides$/);
  // Even 30 errors out of 30: the policy asks for 50 requests before any verdict (on_inconclusive
  // decides what happens next).
  assert.equal(
    judgeCanary(healthy(ladder(10, 30), 30), healthy(ladder(10, 1200)), policy).verdict,
    'inconclusive',
  );
});

test('empty sides, and min_requests 0, are inconclusive rather than a crash', () => {
  const none = judgeCanary(healthy([]), healthy([]), { ...policy, min_requests: 0 });
  assert.equal(none.verdict, 'inconclusive');
  assert.equal(none.latency.mann_whitney, null);
  assert.equal(none.errors.comparison, null);
  assert.match(none.latency.sentence, /^latency: inconclusive, 0 canary and 0 stable latencies/);
  assert.match(none.errors.sentence, /^errors: inconclusive, the canary served 0 requests and stable 0/);
});

test('5xx above the absolute ceiling fails even when not significant against stable', () => {
  const v = judgeCanary(healthy(ladder(10), 3), healthy(ladder(10, 2000), 20), policy);
  assert.equal(v.verdict, 'fail');
  assert.equal(v.latency.verdict, 'pass');
  assert.equal(v.errors.canary.rate_pct, 1.5);
  assert.equal(
    v.errors.sentence,
    "errors: canary 5xx 1.5 % (3 of 200) vs stable 1 % (20 of 2000), Fisher's exact p = 0.35 ≥ 0.02, and 1.5 % is above max_error_rate_5xx 1 % → fail",
  );
  // Counts large enough for the z-test: 15 of 1000 against 100 of 10,000.
  const z = judgeCanary(healthy(ladder(10, 1000), 15), healthy(ladder(10, 10_000), 100), policy);
  assert.equal(z.errors.comparison!.test, 'two-proportion-z');
  assert.equal(
    z.errors.sentence,
    'errors: canary 5xx 1.5 % (15 of 1000) vs stable 1 % (100 of 10000), two-proportion z = 1.48, p = 0.069 ≥ 0.02, and 1.5 % is above max_error_rate_5xx 1 % → fail',
  );
});

test("5xx significantly above stable's fails even under the ceiling, and names the test", () => {
  const v = judgeCanary(healthy(ladder(10, 2000), 8), healthy(ladder(10, 20_000), 0), policy);
  assert.equal(v.errors.verdict, 'fail');
  assert.equal(v.errors.comparison!.test, 'fisher-exact');
  assert.match(
    v.errors.sentence,
    /^errors: canary 5xx 0\.4 % \(8 of 2000\) vs stable 0 % \(0 of 20000\), Fisher's exact p = [0-9.e-]+ < 0\.02 → fail$/,
  );
  // What decided the verdict leads the sentence people read.
  assert.equal(v.sentence, `${v.errors.sentence}; ${v.latency.sentence}`);
});

test('NaN and Infinity latencies are left out of the latency test and counted; the requests still count', () => {
  const canary = [...ladder(10), NaN, Infinity, -1];
  const v = judgeCanary(healthy(canary, 1), healthy(ladder(10)), policy);
  assert.equal(v.latency.canary.samples, 200);
  assert.equal(v.latency.canary.dropped, 3);
  assert.equal(v.errors.canary.requests, 203);
  assert.equal(v.verdict, 'pass');
});

test('every number survives JSON unchanged (journal, API, --output json)', () => {
  for (const v of [
    judgeCanary(healthy(ladder(18)), healthy(ladder(10)), policy),
    judgeCanary(healthy([0, 0, 0]), healthy([0, 0]), { ...policy, min_requests: 1 }),
    judgeCanary(healthy([]), healthy([1]), policy),
  ]) {
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
  }
});

test('stable median 0 ms: no ratio, and any real increase counts as relatively large', () => {
  const v = judgeCanary(healthy(Array(100).fill(10)), healthy(Array(100).fill(0)), policy);
  assert.equal(v.latency.median_ratio, null);
  assert.equal(v.latency.verdict, 'fail');
  assert.match(v.latency.sentence, /\(stable median 0 ms, Hodges-Lehmann \+10\.0 ms\)/);
});

test('bad inputs are programming errors: confidence outside (0, 1), errors above requests', () => {
  assert.throws(
    () => judgeCanary(healthy([1]), healthy([1]), { ...policy, confidence: 98 }),
    /confidence must be between 0 and 1, got 98/,
  );
  assert.throws(
    () => judgeCanary(healthy([1], 2), healthy([1]), policy),
    /canary errors_5xx 2 must be an integer between 0 and 1/,
  );
  assert.throws(
    () => judgeCanary(healthy([1]), healthy([], 1), policy),
    /stable errors_5xx 1 must be an integer between 0 and 0/,
  );
});
