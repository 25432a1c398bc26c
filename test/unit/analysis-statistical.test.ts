import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeObservation } from '../../src/core/analysis.js';
import type { Observation } from '../../src/core/model/analysis.js';
import { analysisSchema } from '../../src/core/schema/strategy.js';
import {
  bucketOf,
  bucketValue,
  countOf,
  histogramOf,
  latenciesOf,
} from '../../src/core/stats/latency-histogram.js';
import type { MetricsSnapshot, RequestSample } from '../../src/core/model/metrics.js';

/** n requests around `ms` (spread ±20 % deterministically), `errors` of them 5xx. */
function sample(n: number, ms: number, errors = 0): RequestSample {
  const latencies = Array.from({ length: n }, (_, i) => ms * (0.8 + (0.4 * ((i * 37) % 101)) / 100));
  return { requests: n, errors_5xx: errors, latency: histogramOf(latencies), window_ms: 10_000 };
}
const SNAP: MetricsSnapshot = {
  latency_p95_ms: 1,
  error_rate_5xx: 0,
  cpu_percent: 1,
  samples: 1,
  window_ms: 1,
};

function observe(
  over: Partial<Omit<Observation, 'policy'>> & { policy?: Record<string, unknown> },
): ReturnType<typeof judgeObservation> {
  const { policy, ...rest } = over;
  return judgeObservation({
    canary: { snapshot: SNAP, requests: sample(300, 10) },
    stable: sample(3000, 10),
    baseline: { snapshot: SNAP, requests: sample(2000, 10) },
    extensions: 0,
    ...rest,
    policy: analysisSchema.parse(policy ?? {}),
  });
}

test('latencies are bucketed 100 to a decade: every value stands within 2.3 % of itself', () => {
  for (const ms of [0.05, 0.4, 1, 3.7, 12, 250, 9_999]) {
    const stood = bucketValue(bucketOf(ms));
    assert.ok(Math.abs(stood / ms - 1) < 0.0233, `${ms} → ${stood}`);
  }
  const h = histogramOf([1, 1.001, 2, Number.NaN, -1, Number.POSITIVE_INFINITY]);
  assert.equal(countOf(h), 3, 'NaN, negative and Infinity are not latencies');
  assert.deepEqual(h.buckets, [
    [0, 2],
    [30, 1],
  ]);
  assert.deepEqual(
    [...latenciesOf(h)].map((v) => Math.round(v * 1000) / 1000),
    [1.012, 1.012, 2.018],
  );
});

test('a canary 60 ms slower than stable in the same window fails, with its numbers and a sentence', () => {
  const a = observe({ canary: { snapshot: SNAP, requests: sample(300, 70) } });
  assert.equal(a.verdict, 'fail');
  assert.equal(a.method, 'statistical');
  assert.equal(a.compared_with, 'stable');
  assert.match(
    a.reasons[0]!,
    /^against the stable version in the same window: latency: canary median .* → fail/,
  );
  assert.equal(a.statistics?.latency.canary.samples, 300);
  assert.equal(a.statistics?.latency.stable.samples, 3000);
  assert.ok((a.statistics?.latency.mann_whitney?.p_value ?? 1) < 1e-10);
  assert.ok((a.latency_increase_pct ?? 0) > 500);
  assert.ok((a.vs_baseline?.median_increase_pct ?? 0) > 500, 'the baseline comparison is reported too');
});

test('healthy canaries pass; a big relative but small absolute shift passes (min_latency_shift_ms)', () => {
  assert.equal(observe({}).verdict, 'pass');
  const sub = observe({ canary: { snapshot: SNAP, requests: sample(3000, 2) }, stable: sample(3000, 1) });
  assert.equal(sub.verdict, 'pass', sub.reasons.join('; '));
  assert.match(sub.reasons[0]!, /min_latency_shift_ms 5/);
});

test('5xx: above stable significantly, or over the ceiling, fails', () => {
  const a = observe({ canary: { snapshot: SNAP, requests: sample(300, 10, 30) } });
  assert.equal(a.verdict, 'fail');
  assert.equal(a.statistics?.errors.verdict, 'fail');
});

test('once serving everybody, the canary is judged against the pre-deploy baseline', () => {
  const a = observe({ stable: null, canary: { snapshot: SNAP, requests: sample(300, 70) } });
  assert.equal(a.compared_with, 'baseline');
  assert.equal(a.verdict, 'fail');
  assert.equal(a.vs_baseline, undefined);
});

test('with nothing to compare with (first deploy), only the 5xx ceiling is judged', () => {
  const none = { stable: null, baseline: { snapshot: SNAP, requests: null } };
  assert.equal(observe(none).compared_with, 'nothing');
  assert.equal(observe(none).verdict, 'pass');
  assert.equal(
    observe({ ...none, canary: { snapshot: SNAP, requests: sample(300, 70, 30) } }).verdict,
    'fail',
  );
});

test('on_inconclusive: extend once, then inconclusive; fail at once; or pass with a warning', () => {
  const few = { canary: { snapshot: SNAP, requests: sample(20, 10) } };
  const first = observe(few);
  assert.equal(first.verdict, 'extend');
  assert.match(first.reasons.join('; '), /20 .*min_requests 50.*observing once more/);
  assert.equal(observe({ ...few, extensions: 1 }).verdict, 'inconclusive');
  assert.equal(observe({ ...few, policy: { on_inconclusive: 'fail' } }).verdict, 'inconclusive');
  const warned = observe({ ...few, policy: { on_inconclusive: 'pass-with-warning' } });
  assert.equal(warned.verdict, 'pass');
  assert.match(warned.reasons.at(-1)!, /warning/);
});

test('method: threshold keeps the old p95 rule', () => {
  const slow: MetricsSnapshot = { ...SNAP, latency_p95_ms: 200, samples: 300 };
  const base: MetricsSnapshot = { ...SNAP, latency_p95_ms: 100, samples: 3000 };
  const a = observe({
    policy: { method: 'threshold' },
    canary: { snapshot: slow, requests: sample(300, 10) },
    baseline: { snapshot: base, requests: null },
  });
  assert.equal(a.method, 'threshold');
  assert.equal(a.verdict, 'fail');
  assert.match(a.reasons[0]!, /p95 latency 200 ms is 100 % above the baseline 100 ms/);
});
