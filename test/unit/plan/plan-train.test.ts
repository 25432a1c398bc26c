import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeploy } from '../../../src/core/plan/plan-deploy.js';
import { deployPlanSchema, type PlanRollbackAction } from '../../../src/core/schema/plan.js';
import { inputOf, kinds, OLD, request, stepsOf, tagOf } from './plan-inputs.js';

const VERSIONS = ['2.4.0', '2.4.1', '2.4.2'];
const OFF = { state: 'off', percentage: 0 } as const;
const ON = { state: 'on', percentage: 100 } as const;

/** A rollback as `FLAG#k→state%` and `APPLY→tags (stop tags)`, to read k..1 at a glance. */
const brief = (actions: PlanRollbackAction[]) =>
  actions.map((a) =>
    a.action === 'ROLLBACK_FLAG'
      ? `FLAG#${a.batch} ${a.flag}→${a.to.state} ${a.to.percentage}`
      : `APPLY→${a.to.map((w) => `${w.tag} ${w.weight}`).join(',')} stop ${a.stop.join(',')}`,
  );

const back = `APPLY→${OLD} 100`;

test('a 3-batch fast-track train: every batch shipped alone and observed, the last one too', () => {
  const strategy = { mode: 'fast-track', batching: { observe: '1m' } };
  const plan = planDeploy(inputOf(request(strategy, VERSIONS)));
  deployPlanSchema.parse(plan);
  assert.equal(plan.batches.length, 3);
  for (const [i, version] of VERSIONS.entries()) {
    assert.deepEqual(kinds(plan, i), ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'OBSERVE']);
    const [apply] = stepsOf(plan, 'APPLY', i);
    assert.deepEqual(apply!.weights, [{ tag: tagOf(version), weight: 100 }]);
    assert.deepEqual(apply!.retire, [i === 0 ? OLD : tagOf(VERSIONS[i - 1]!)]);
    const [observe] = stepsOf(plan, 'OBSERVE', i);
    assert.deepEqual(
      [observe!.why, observe!.window_ms, observe!.analysis.compared_with],
      ['batching.observe', 60_000, 'baseline'],
    );
  }
  assert.deepEqual(plan.observation_ms, { min: 180_000, max: 360_000 });
  assert.equal(plan.ends_with, 'success');
  assert.deepEqual(plan.warnings, []);
});

test('a failure in batch k undoes flags k..1 newest first, then traffic once, to before batch 1', () => {
  const plan = planDeploy(inputOf(request({ mode: 'fast-track' }, VERSIONS)));
  const rollbacks = plan.batches.map((b) => ({
    before_apply: brief(b.rollback.before_apply),
    after_flag: brief(b.rollback.after_flag),
  }));
  assert.deepEqual(rollbacks, [
    {
      before_apply: [],
      after_flag: ['FLAG#1 ff-2.4.0→off 0', `${back} stop ${tagOf('2.4.0')}`],
    },
    {
      before_apply: ['FLAG#1 ff-2.4.0→off 0', `${back} stop ${tagOf('2.4.0')}`],
      after_flag: ['FLAG#2 ff-2.4.1→off 0', 'FLAG#1 ff-2.4.0→off 0', `${back} stop ${tagOf('2.4.1')}`],
    },
    {
      before_apply: ['FLAG#2 ff-2.4.1→off 0', 'FLAG#1 ff-2.4.0→off 0', `${back} stop ${tagOf('2.4.1')}`],
      after_flag: [
        'FLAG#3 ff-2.4.2→off 0',
        'FLAG#2 ff-2.4.1→off 0',
        'FLAG#1 ff-2.4.0→off 0',
        `${back} stop ${tagOf('2.4.2')}`,
      ],
    },
  ]);
});

test('a flag two batches share is put back through each, so it ends as before batch 1', () => {
  const req = request({ mode: 'fast-track' }, VERSIONS, ['ff-shared', 'ff-b', 'ff-shared']);
  const plan = planDeploy(inputOf(req, { flags: { 'ff-shared': OFF, 'ff-b': ON } }));
  assert.deepEqual(brief(plan.batches[2]!.rollback.after_flag), [
    'FLAG#3 ff-shared→on 100',
    'FLAG#2 ff-b→on 100',
    'FLAG#1 ff-shared→off 0',
    `${back} stop ${tagOf('2.4.2')}`,
  ]);
  assert.deepEqual(plan.batches[1]!.flag, { name: 'ff-b', now: ON });
});

test('a canary train: every batch, the last one too, is promoted and observed; the train ends in success', () => {
  const plan = planDeploy(inputOf(request({ mode: 'canary', batching: { observe: '30s' } }, VERSIONS)));
  deployPlanSchema.parse(plan);
  const shipped = ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'ANALYSIS'];
  assert.deepEqual(kinds(plan, 0), [...shipped, 'PROMOTE', 'OBSERVE']);
  assert.deepEqual(kinds(plan, 1), [...shipped, 'PROMOTE', 'OBSERVE']);
  assert.deepEqual(kinds(plan, 2), [...shipped, 'PROMOTE', 'OBSERVE']);
  assert.deepEqual(stepsOf(plan, 'APPLY', 1)[0]!.weights, [
    { tag: tagOf('2.4.1'), weight: 5 },
    { tag: tagOf('2.4.0'), weight: 95 },
  ]);
  assert.equal(plan.ends_with, 'success');
});

test('preflight failing: the deploy would not start, and the plan says so', () => {
  const checks = [
    { name: 'dod' as const, ok: false, detail: 'DoD incomplete (8/9): load-test' },
    { name: 'baseline' as const, ok: true, detail: 'baseline captured' },
  ];
  const plan = planDeploy(inputOf(request({ mode: 'fast-track' }), { checks }));
  assert.equal(plan.would_start, false);
  assert.deepEqual(plan.preflight, { passed: false, checks });
});

test('observations longer than deadlines.deploy are called out before anyone waits for them', () => {
  const strategy = {
    mode: 'canary',
    canary: { steps: [5, 50, 100], observe: '10m' },
    deadlines: { deploy: { after: '15m' } },
  };
  const plan = planDeploy(inputOf(request(strategy)));
  assert.deepEqual(plan.observation_ms, { min: 1_200_000, max: 2_400_000 });
  assert.deepEqual(plan.warnings, [
    'the observations alone take 20m, not less than deadlines.deploy (15m): the deploy would be rolled back by its deadline before it ends',
  ]);
});
