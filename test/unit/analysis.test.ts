import { analysisSchema } from '../../src/core/schema/strategy.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeByThreshold as analyzeCanary } from '../../src/core/analysis-threshold.js';
import { judgeUnavailable } from '../../src/core/analysis.js';
import type { MetricsSnapshot } from '../../src/core/model/metrics.js';

const policy = analysisSchema.parse({ method: 'threshold' });
const m = (p95: number | null, e5xx: number | null, samples: number): MetricsSnapshot => ({
  latency_p95_ms: p95,
  error_rate_5xx: e5xx,
  cpu_percent: 5,
  samples,
  window_ms: 60_000,
});

test('healthy canary passes', () => {
  const a = analyzeCanary(m(100, 0.2, 1000), m(110, 0.5, 200), policy);
  assert.equal(a.verdict, 'pass');
  assert.equal(a.latency_increase_pct, 10);
});

test('too few requests is inconclusive, never a pass', () => {
  const a = analyzeCanary(m(100, 0, 1000), m(null, null, 12), policy);
  assert.equal(a.verdict, 'inconclusive');
  assert.match(a.reasons[0]!, /served 12 requests, fewer than min_requests 50/);
});

test('5xx above the ceiling fails, naming measured value and threshold', () => {
  const a = analyzeCanary(m(100, 0, 1000), m(100, 50, 200), policy);
  assert.equal(a.verdict, 'fail');
  assert.deepEqual(a.reasons, ['5xx rate 50 % is above max_error_rate_5xx 1 %']);
});

test('p95 regression fails; a few ms of noise on a fast service does not', () => {
  assert.equal(analyzeCanary(m(100, 0, 1000), m(130, 0, 200), policy).verdict, 'fail');
  assert.equal(analyzeCanary(m(1, 0, 1000), m(2.5, 0, 200), policy).verdict, 'pass');
});

test('no baseline latency: p95 is not compared, 5xx still is', () => {
  const a = analyzeCanary(m(null, null, 3), m(40, 0, 200), policy);
  assert.equal(a.verdict, 'pass');
  assert.match(a.reasons[0]!, /p95 not compared/);
});

test('a metrics source that cannot be read is inconclusive, never a pass; extend may look again once', () => {
  const baseline = { snapshot: m(100, 0, 1000), requests: null };
  const down = 'E_BASELINE_UNAVAILABLE: Prometheus at http://127.0.0.1:9 is unreachable (ECONNREFUSED)';
  for (const on_inconclusive of ['fail', 'pass-with-warning'] as const) {
    const a = judgeUnavailable({ policy: { ...policy, on_inconclusive }, baseline, extensions: 0 }, down);
    assert.equal(a.verdict, 'inconclusive', on_inconclusive);
    assert.deepEqual(a.reasons, [`inconclusive: the metrics source could not be read: ${down}`]);
    assert.equal(a.canary.samples, 0);
  }
  const extend = { ...policy, on_inconclusive: 'extend' as const };
  assert.equal(judgeUnavailable({ policy: extend, baseline, extensions: 0 }, down).verdict, 'extend');
  assert.equal(judgeUnavailable({ policy: extend, baseline, extensions: 1 }, down).verdict, 'inconclusive');
});
