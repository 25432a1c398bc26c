import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeploy } from '../../../src/core/plan/plan-deploy.js';
import { deployPlanSchema } from '../../../src/core/schema/plan.js';
import { inputOf, kinds, OLD, request, stepsOf, tagOf } from './plan-inputs.js';

const NEW = tagOf('2.4.0');
const OFF = { state: 'off', percentage: 0 };
/** The whole rollback of a single deploy once its flag is set: flag first, then one routing swap. */
const FULL_UNDO = [
  { action: 'ROLLBACK_FLAG', batch: 1, flag: 'ff-2.4.0', environment: 'production', to: OFF },
  { action: 'ROLLBACK_APPLY', environment: 'production', to: [{ tag: OLD, weight: 100 }], stop: [NEW] },
];

test('fast-track: 100 % at once, flag ON 100 %, nothing watches it, and the rollback if it fails', () => {
  const plan = planDeploy(inputOf(request({ mode: 'fast-track' })));
  deployPlanSchema.parse(plan);
  assert.equal(plan.would_start, true);
  assert.deepEqual(kinds(plan), ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG']);
  assert.deepEqual(stepsOf(plan, 'APPLY')[0], {
    step: 'APPLY',
    environment: 'production',
    health_timeout_ms: 30_000,
    weights: [{ tag: NEW, weight: 100 }],
    retire: [OLD],
  });
  assert.deepEqual(stepsOf(plan, 'FLAG')[0], {
    step: 'FLAG',
    flag: 'ff-2.4.0',
    environment: 'production',
    state: 'on',
    percentage: 100,
  });
  assert.deepEqual(plan.batches[0]!.rollback, { before_apply: [], after_flag: FULL_UNDO });
  assert.equal(plan.ends_with, 'success');
  assert.deepEqual(plan.observation_ms, { min: 0, max: 0 });
  assert.deepEqual(
    plan.deadlines.map((d) => [d.name, d.after_ms, d.on_timeout]),
    [
      ['deploy', 1_800_000, 'rollback'],
      ['health', 30_000, 'rollback'],
    ],
  );
  assert.match(plan.warnings.join('\n'), /fast_track\.watch: 0/);
});

test('fast-track with watch: observed at 100 % against the baseline, extended once when inconclusive', () => {
  const plan = planDeploy(inputOf(request({ mode: 'fast-track', fast_track: { watch: '30s' } })));
  deployPlanSchema.parse(plan);
  assert.deepEqual(kinds(plan), ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'OBSERVE']);
  const [observe] = stepsOf(plan, 'OBSERVE');
  assert.equal(observe!.why, 'fast_track.watch');
  assert.equal(observe!.window_ms, 30_000);
  assert.equal(observe!.max_window_ms, 60_000);
  assert.deepEqual(observe!.analysis, {
    method: 'statistical',
    compared_with: 'baseline',
    min_requests: 50,
    max_error_rate_5xx: 1,
    on_inconclusive: 'extend',
    confidence: 0.98,
    max_latency_increase_pct: 20,
    min_latency_shift_ms: 5,
  });
  assert.deepEqual(plan.batches[0]!.rollback.after_flag, FULL_UNDO);
  assert.deepEqual(plan.observation_ms, { min: 30_000, max: 60_000 });
  assert.deepEqual(plan.warnings, []);
});

test('canary 5 → 25 → 50 → 100: each step observed beside the stable version, then promoted', () => {
  const strategy = { mode: 'canary', canary: { steps: [5, 25, 50, 100], observe: '2m' } };
  const plan = planDeploy(inputOf(request(strategy)));
  deployPlanSchema.parse(plan);
  assert.deepEqual(kinds(plan), [
    ...['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG'],
    ...['ANALYSIS', 'STEP', 'ANALYSIS', 'STEP', 'ANALYSIS', 'PROMOTE'],
  ]);
  const split = (p: number) => [
    { tag: NEW, weight: p },
    { tag: OLD, weight: 100 - p },
  ];
  assert.deepEqual(stepsOf(plan, 'APPLY')[0]!.weights, split(5));
  assert.deepEqual(stepsOf(plan, 'APPLY')[0]!.retire, []);
  assert.deepEqual(stepsOf(plan, 'FLAG')[0]!.percentage, 5);
  assert.deepEqual(
    stepsOf(plan, 'ANALYSIS').map((a) => [a.percent, a.window_ms, a.max_window_ms, a.analysis.compared_with]),
    [
      [5, 120_000, 240_000, 'stable'],
      [25, 120_000, 240_000, 'stable'],
      [50, 120_000, 240_000, 'stable'],
    ],
  );
  assert.deepEqual(
    stepsOf(plan, 'STEP').map((s) => [s.percent, s.weights, s.flag]),
    [
      [25, split(25), { state: 'on', percentage: 25 }],
      [50, split(50), { state: 'on', percentage: 50 }],
    ],
  );
  assert.deepEqual(stepsOf(plan, 'PROMOTE')[0], {
    step: 'PROMOTE',
    weights: [{ tag: NEW, weight: 100 }],
    retire: [OLD],
  });
  assert.deepEqual(plan.batches[0]!.rollback.after_flag, FULL_UNDO);
  assert.equal(plan.ends_with, 'success');
  assert.deepEqual(plan.observation_ms, { min: 360_000, max: 720_000 });
});

test('a bare canary stays at 5 % until promote, under the promotion deadline', () => {
  const plan = planDeploy(inputOf(request({ mode: 'canary' })));
  deployPlanSchema.parse(plan);
  assert.deepEqual(kinds(plan), ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'ANALYSIS', 'AWAIT']);
  assert.deepEqual(stepsOf(plan, 'AWAIT')[0], {
    step: 'AWAIT',
    awaiting: 'promote',
    environment: 'production',
    after_ms: 86_400_000,
    on_timeout: 'abort',
  });
  assert.equal(plan.ends_with, 'paused');
  assert.deepEqual(
    plan.deadlines.find((d) => d.name === 'promotion'),
    { name: 'promotion', after_ms: 86_400_000, counted_from: 'paused', on_timeout: 'abort' },
  );
  // Aborted at its step (or failing its analysis), it is undone like any failure after FLAG.
  assert.deepEqual(plan.batches[0]!.rollback.after_flag, FULL_UNDO);
});

test('manual: applied to staging with the flag OFF, then it waits for approval for production', () => {
  const plan = planDeploy(inputOf(request({ mode: 'manual' })));
  deployPlanSchema.parse(plan);
  assert.equal(plan.apply_environment, 'staging');
  assert.deepEqual(kinds(plan), ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'AWAIT']);
  assert.deepEqual(stepsOf(plan, 'APPLY')[0]!.weights, [{ tag: NEW, weight: 100 }]);
  assert.deepEqual(stepsOf(plan, 'FLAG')[0], {
    step: 'FLAG',
    flag: 'ff-2.4.0',
    environment: 'staging',
    state: 'off',
    percentage: 0,
  });
  assert.deepEqual(stepsOf(plan, 'AWAIT')[0], {
    step: 'AWAIT',
    awaiting: 'approval',
    environment: 'production',
    after_ms: 86_400_000,
    on_timeout: 'reject',
  });
  assert.deepEqual(plan.batches[0]!.rollback.after_flag, [
    { action: 'ROLLBACK_FLAG', batch: 1, flag: 'ff-2.4.0', environment: 'staging', to: OFF },
    { action: 'ROLLBACK_APPLY', environment: 'staging', to: [], stop: [NEW] },
  ]);
  assert.equal(plan.ends_with, 'awaiting-approval');
});

test('the threshold method shows its own thresholds, judged against the baseline', () => {
  const strategy = {
    mode: 'canary',
    analysis: { method: 'threshold', max_latency_p95_increase_pct: 50, on_inconclusive: 'fail' },
  };
  const [analysis] = stepsOf(planDeploy(inputOf(request(strategy))), 'ANALYSIS');
  assert.deepEqual(analysis!.analysis, {
    method: 'threshold',
    compared_with: 'baseline',
    min_requests: 50,
    max_error_rate_5xx: 1,
    on_inconclusive: 'fail',
    max_latency_p95_increase_pct: 50,
  });
  assert.equal(analysis!.max_window_ms, analysis!.window_ms);
});

test('a first canary, with nothing serving: it takes all the traffic and only 5xx can be judged', () => {
  const empty = { environment: 'production', versions: [] };
  const noTraffic = {
    latency_p95_ms: null,
    error_rate_5xx: null,
    cpu_percent: null,
    samples: 0,
    window_ms: 60_000,
  };
  const plan = planDeploy(inputOf(request({ mode: 'canary' }), { serving: empty, baseline: noTraffic }));
  assert.deepEqual(stepsOf(plan, 'APPLY')[0]!.weights, [{ tag: NEW, weight: 100 }]);
  assert.equal(stepsOf(plan, 'ANALYSIS')[0]!.analysis.compared_with, 'nothing');
  assert.match(
    plan.warnings.join('\n'),
    /no request reached the environment in the baseline window: .* fewer than min_requests \(50\), which is inconclusive and observed once more, then fails the deploy/,
  );
  assert.deepEqual(plan.batches[0]!.rollback.after_flag.at(-1), {
    action: 'ROLLBACK_APPLY',
    environment: 'production',
    to: [],
    stop: [NEW],
  });
});
