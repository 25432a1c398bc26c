// A seeded simulation of canary analyses (issue #11's acceptance): how often does the statistical
// verdict fail a healthy canary, and how often does it catch a +30 % latency regression? Latencies
// are drawn like request latencies: a log-normal body plus occasional large outliers (the scheduler,
// a GC pause); 5xx responses are rare Bernoulli events. Everything comes from one seeded generator,
// so the printed rates are the same on every run.

import { analysisSchema } from '../../../src/core/schema/strategy.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_STATISTICAL_POLICY,
  judgeCanary,
  type StatisticalVerdict,
} from '../../../src/core/stats/verdict.js';
import { percentileOfSorted } from '../../../src/core/stats/sample.js';
import { analyzeByThreshold as analyzeCanary } from '../../../src/core/analysis-threshold.js';
import { gaussian, mulberry32 } from './seeded.js';

const uniform = mulberry32(0x5eed);
const normal = gaussian(uniform);
const policy = DEFAULT_STATISTICAL_POLICY;

interface Service {
  /** median of the log-normal body, ms */
  median: number;
  /** spread of the body on the log scale (p95/p50 = e^(1.645σ)) */
  sigma: number;
  /** share of requests that stall, and how long a stall adds, ms */
  stallRate: number;
  stallMs: [number, number];
  /** share of requests answered 5xx */
  errorRate: number;
}

// A typical API: median 40 ms, p95 ≈ 66 ms, 1 % stalls of 50-500 ms, 0.2 % 5xx.
const api: Service = { median: 40, sigma: 0.3, stallRate: 0.01, stallMs: [50, 500], errorRate: 0.002 };

/** `n` requests of `service`, the body scaled by `slower` (1.3 = +30 %) and `addMs` added to each. */
function serve(
  service: Service,
  n: number,
  slower = 1,
  addMs = 0,
): { latencies_ms: Float64Array; errors_5xx: number } {
  const latencies = new Float64Array(n);
  let errors = 0;
  for (let i = 0; i < n; i++) {
    let ms = service.median * slower * Math.exp(service.sigma * normal()) + addMs;
    if (uniform() < service.stallRate)
      ms += service.stallMs[0] + uniform() * (service.stallMs[1] - service.stallMs[0]);
    latencies[i] = ms;
    if (uniform() < service.errorRate) errors++;
  }
  return { latencies_ms: latencies, errors_5xx: errors };
}

/** A canary window: the canary gets 200-600 requests, stable 1-4 times as many (at least 200 each). */
function sizes(): [number, number] {
  const canary = 200 + Math.floor(uniform() * 401);
  return [canary, Math.floor(canary * (1 + uniform() * 3))];
}

function tally(verdicts: StatisticalVerdict[]) {
  const count = (f: (v: StatisticalVerdict) => boolean): number => verdicts.filter(f).length;
  return {
    failed: count((v) => v.verdict === 'fail'),
    latency: count((v) => v.latency.verdict === 'fail'),
    errors: count((v) => v.errors.verdict === 'fail'),
    ceiling: count((v) => v.errors.canary.rate_pct > v.policy.max_error_rate_5xx),
    significant5xx: count((v) => (v.errors.comparison?.p_value ?? 1) < v.alpha),
    inconclusive: count((v) => v.verdict === 'inconclusive'),
  };
}

const pct = (k: number, n: number): string => `${((k / n) * 100).toFixed(1)} %`;

test('healthy canaries (same distributions as stable) fail at most 2 % of the time', (t) => {
  const trials = 1000;
  const verdicts = Array.from({ length: trials }, () => {
    const [c, s] = sizes();
    return judgeCanary(serve(api, c), serve(api, s), policy);
  });
  const r = tally(verdicts);
  t.diagnostic(
    `false-failure rate: ${r.failed} of ${trials} healthy canaries failed (${pct(r.failed, trials)}): ` +
      `${r.latency} on latency, ${r.errors} on 5xx (${r.ceiling} above the 1 % ceiling, ` +
      `${r.significant5xx} significantly above stable); ${r.inconclusive} inconclusive`,
  );
  assert.equal(r.inconclusive, 0);
  assert.ok(r.failed / trials <= 0.02, `false-failure rate ${pct(r.failed, trials)}`);
});

test('a +30 % latency regression with at least 200 requests per side is caught at least 95 % of the time', (t) => {
  const trials = 1000;
  const verdicts = Array.from({ length: trials }, () => {
    const [c, s] = sizes();
    return judgeCanary(serve(api, c, 1.3), serve(api, s), policy);
  });
  const r = tally(verdicts);
  t.diagnostic(
    `detection rate of +30 %: ${r.latency} of ${trials} (${pct(r.latency, trials)}) failed on latency`,
  );
  assert.ok(r.latency / trials >= 0.95, `detection rate ${pct(r.latency, trials)}`);

  // How the detection rate depends on dispersion and size (printed, not asserted): the percentage
  // threshold is applied to an estimate, so a true +30 % against a 20 % threshold needs enough
  // requests for the median ratio to be measured within ±10 %.
  for (const [sigma, n] of [
    [0.5, 200],
    [0.5, 800],
  ] as const) {
    const wide = { ...api, sigma };
    const caught = Array.from({ length: 200 }, () =>
      judgeCanary(serve(wide, n, 1.3), serve(wide, n), policy),
    );
    t.diagnostic(`  σ = ${sigma}, ${n} per side: ${pct(tally(caught).latency, 200)} caught`);
  }
});

// Issue #11's case: a tiny service (median 2 ms) on a busy machine, windows of a few hundred
// requests, 6 % of requests on both sides stalled by the scheduler for 20-200 ms. p95 then lands
// in the stalls on one side and not the other, and p95-vs-p95 swings by hundreds of percent.
const noisy: Service = { median: 2, sigma: 0.3, stallRate: 0.06, stallMs: [20, 200], errorRate: 0 };

test('scheduler noise on both sides: p95-vs-p95 swings wildly, the statistical verdict stays pass', (t) => {
  const trials = 300;
  let oldFailures = 0;
  let newFailures = 0;
  let widestSwing = 0;
  for (let i = 0; i < trials; i++) {
    const n = 100 + Math.floor(uniform() * 200);
    const canary = serve(noisy, n);
    const stable = serve(noisy, n);
    const p95 = (v: Float64Array): number => percentileOfSorted(Float64Array.from(v).sort(), 0.95);
    const snapshot = (v: Float64Array) => ({
      latency_p95_ms: Math.round(p95(v) * 10) / 10,
      error_rate_5xx: 0,
      cpu_percent: null,
      samples: v.length,
      window_ms: 500,
    });
    const old = analyzeCanary(
      snapshot(stable.latencies_ms),
      snapshot(canary.latencies_ms),
      analysisSchema.parse({ method: 'threshold' }),
    );
    if (old.verdict === 'fail') oldFailures++;
    widestSwing = Math.max(widestSwing, old.latency_increase_pct ?? 0);
    if (judgeCanary(canary, stable, policy).verdict !== 'pass') newFailures++;
  }
  t.diagnostic(
    `healthy noisy windows: p95-vs-p95 failed ${pct(oldFailures, trials)} (widest swing +${widestSwing.toFixed(0)} %), ` +
      `the statistical verdict ${pct(newFailures, trials)}`,
  );
  assert.ok(widestSwing > 300, `p95 swing only +${widestSwing} %`);
  assert.ok(oldFailures / trials > 0.2, `the p95 rule failed only ${oldFailures}`);
  assert.equal(newFailures, 0);
});

test('…and in the same noise a canary that adds 60 ms still fails', () => {
  for (let i = 0; i < 50; i++) {
    const n = 100 + Math.floor(uniform() * 200);
    const v = judgeCanary(serve(noisy, n, 1, 60), serve(noisy, n), policy);
    assert.equal(v.verdict, 'fail', v.sentence);
    assert.equal(v.latency.verdict, 'fail');
  }
});
