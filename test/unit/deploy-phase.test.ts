import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decider.js';
import { deployPhase } from '../../src/core/deploy-phase.js';
import { foldEvents } from '../../src/core/fold-deploy.js';
import type { DeployEvent } from '../../src/core/events.js';
import { buildResult } from '../../src/core/result.js';
import { analysisSchema, strategySchema } from '../../src/core/schema/strategy.js';
import { happyPath, requested, rowsOf } from '../support/events.js';

const SNAP = { latency_p95_ms: 10, error_rate_5xx: 0, cpu_percent: 1, samples: 100, window_ms: 1000 };

const resultOf = (events: DeployEvent[], alive = false) => {
  const rows = rowsOf(events);
  return buildResult(foldEvents('d1', rows), rows, alive);
};
const phaseOf = (events: DeployEvent[], alive = false) =>
  deployPhase(foldEvents('d1', rowsOf(events)), alive);

/** happyPath with `mode`, its flag as that mode sets it. */
function shipped(mode: 'canary' | 'manual'): DeployEvent[] {
  const events = happyPath();
  events[0] = {
    ...requested(mode),
    strategy: strategySchema.parse({ mode, canary: { steps: [5], observe: '1s' } }),
  };
  const flag =
    mode === 'canary' ? { state: 'on' as const, percentage: 5 } : { state: 'off' as const, percentage: 0 };
  events[events.length - 1] = { type: 'FLAG_ACTIVATED', flag: 'f', environment: 'production', ...flag };
  return events;
}

test('work left: running while an executor is alive, interrupted when none is; never success', () => {
  const events = happyPath();
  assert.equal(phaseOf(events, true), 'running');
  assert.equal(phaseOf(events, false), 'interrupted');
  assert.deepEqual([resultOf(events, true).status, resultOf(events, true).state], ['pending', 'running']);
  events.push({ type: 'DEPLOY_SUCCEEDED' });
  assert.deepEqual([resultOf(events).status, resultOf(events).state], ['success', 'success']);
});

test('a canary left at its step is paused: status pending, not success', () => {
  const events = shipped('canary');
  events.push(
    { type: 'OBSERVE_START', percent: 5, observe_ms: 1000, until: 'x' },
    {
      type: 'ANALYSIS_RESULT',
      percent: 5,
      verdict: 'pass',
      reasons: ['pass'],
      canary: SNAP,
      baseline: SNAP,
      thresholds: analysisSchema.parse({ method: 'threshold' }),
      latency_increase_pct: 0,
    },
    { type: 'DEPLOY_SUCCEEDED' },
  );
  const r = resultOf(events);
  assert.deepEqual([r.status, r.state], ['pending', 'paused']);
});

test('manual: awaiting approval on staging, named as such; rejected reads failed', () => {
  const events = [...shipped('manual'), { type: 'DEPLOY_SUCCEEDED' } as DeployEvent];
  const r = resultOf(events);
  assert.deepEqual([r.status, r.state, r.environment], ['pending', 'awaiting_approval', 'staging']);
  assert.deepEqual(r.approval, { state: 'pending', applied_to: 'staging', target: 'production' });
  events.push({
    type: 'APPROVAL_RECORDED',
    decision: 'rejected',
    by: 'bob',
    strategy: null,
    follow_up_deploy_id: null,
  });
  const rejected = resultOf(events);
  assert.deepEqual([rejected.status, rejected.state], ['failed', 'rejected']);
  assert.equal(rejected.approval?.target, 'production');
});

test('failed, rolled back, and a rollback that failed are three states', () => {
  const failure = { code: 'E_APPLY_FAILED', reason: 'boom' };
  const failed: DeployEvent[] = [
    requested(),
    { type: 'PREFLIGHT_START' },
    { type: 'PREFLIGHT_FAILED', checks: [], baseline: null, flag: null, ...failure },
    { type: 'DEPLOY_FAILED', failed_step: 'PREFLIGHT', rolled_back: false, ...failure },
  ];
  assert.equal(phaseOf(failed), 'failed');
  const undone = (end: DeployEvent): DeployEvent[] => [
    ...happyPath().slice(0, 8),
    { type: 'APPLY_FAILED', ...failure },
    { type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_APPLY'] },
    end,
    { type: 'DEPLOY_FAILED', failed_step: 'APPLY', rolled_back: true, ...failure },
  ];
  assert.equal(phaseOf(undone({ type: 'ROLLBACK_SUCCESS' })), 'rolled_back');
  assert.equal(phaseOf(undone({ type: 'ROLLBACK_FAILED', ...failure })), 'rollback_failed');
  assert.equal(resultOf(undone({ type: 'ROLLBACK_FAILED', ...failure })).status, 'failed');
});

test('a canary on an empty environment gets its flag ON 100 %, as its routing: never 5 % of it', () => {
  const events = shipped('canary').slice(0, 7);
  const release = { repository: 'api-orders', tag: 't', digest: 'sha256:new' };
  const empty = { environment: 'production', versions: [] };
  events.push(
    { type: 'APPLY_START', environment: 'production', release, previous: empty },
    { type: 'APPLY_SUCCESS', environment: 'production', current: empty },
  );
  const flag = decide(foldEvents('d1', rowsOf(events)));
  assert.deepEqual(flag.kind === 'set-flag' && flag.desired, { state: 'on', percentage: 100 });
});
