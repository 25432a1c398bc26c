import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decider.js';
import { foldEvents } from '../../src/core/fold-deploy.js';
import type { DeployEvent } from '../../src/core/events.js';
import { analysisSchema, strategySchema } from '../../src/core/schema/strategy.js';
import { happyPath, rowsOf } from '../support/events.js';

const next = (events: DeployEvent[]) => decide(foldEvents('d1', rowsOf(events)));
const snap = { latency_p95_ms: 10, error_rate_5xx: 0, cpu_percent: 1, samples: 100, window_ms: 1000 };

function canaryStart(steps: number[]): DeployEvent[] {
  const events = happyPath();
  const req = events[0] as Extract<DeployEvent, { type: 'DEPLOY_REQUESTED' }>;
  events[0] = {
    ...req,
    strategy: strategySchema.parse({ mode: 'canary', canary: { steps, observe: '1s' } }),
  };
  events[events.length - 1] = {
    type: 'FLAG_ACTIVATED',
    flag: 'f',
    environment: 'production',
    state: 'on',
    percentage: steps[0]!,
  };
  return events;
}

const analysis = (percent: number, verdict: 'pass' | 'fail' | 'inconclusive'): DeployEvent => ({
  type: 'ANALYSIS_RESULT',
  percent,
  verdict,
  reasons: [verdict],
  canary: snap,
  baseline: snap,
  thresholds: analysisSchema.parse({ method: 'threshold' }),
  latency_increase_pct: 0,
});

test('a bare canary observes at 5 %, then succeeds paused there until promoted', () => {
  const events = canaryStart([5]);
  const observe = next(events);
  assert.deepEqual(
    observe.kind === 'observe' && [observe.percent, observe.observeMs, observe.shipped.release.digest],
    [5, 1000, 'sha256:new'],
  );
  events.push({ type: 'OBSERVE_START', percent: 5, observe_ms: 1000, until: 'x' }, analysis(5, 'pass'));
  assert.deepEqual(next(events), { kind: 'succeed' });
  events.push({ type: 'DEPLOY_SUCCEEDED' });
  assert.deepEqual(next(events), { kind: 'done' });
  events.push({ type: 'PROMOTE_REQUESTED', by: 'ops' });
  const promote = next(events);
  assert.deepEqual(promote.kind === 'promote' && promote.release, {
    repository: 'api-orders',
    tag: '2.4.0-abc1234-20260224',
    digest: 'sha256:new',
  });
  events.push(
    { type: 'PROMOTE_START', retire: ['sha256:old'] },
    { type: 'PROMOTE_SUCCESS', current: { environment: 'production', versions: [] } },
  );
  assert.deepEqual(next(events), { kind: 'done' });
});

test('progressive steps: observe, step, observe, … then promote at 100', () => {
  const events = canaryStart([5, 25, 100]);
  const kinds: string[] = [];
  const script: DeployEvent[][] = [
    [{ type: 'OBSERVE_START', percent: 5, observe_ms: 1000, until: 'x' }, analysis(5, 'pass')],
    [
      { type: 'STEP_START', percent: 25 },
      { type: 'STEP_SUCCESS', percent: 25 },
    ],
    [{ type: 'OBSERVE_START', percent: 25, observe_ms: 1000, until: 'x' }, analysis(25, 'pass')],
  ];
  for (const batch of script) {
    kinds.push(next(events).kind);
    events.push(...batch);
  }
  kinds.push(next(events).kind);
  assert.deepEqual(kinds, ['observe', 'canary-step', 'observe', 'promote']);
});

for (const verdict of ['fail', 'inconclusive'] as const) {
  test(`a ${verdict} analysis rolls back flag and traffic`, () => {
    const events = [
      ...canaryStart([5, 50]),
      { type: 'OBSERVE_START', percent: 5, observe_ms: 1000, until: 'x' } as DeployEvent,
      analysis(5, verdict),
    ];
    const cmd = next(events);
    assert.equal(cmd.kind, 'start-rollback');
    assert.deepEqual(cmd.kind === 'start-rollback' && cmd.compensations.map((c) => c.action), [
      'ROLLBACK_FLAG',
      'ROLLBACK_APPLY',
    ]);
  });
}

test('abort after success rolls back, then the deploy ends failed', () => {
  const events = [
    ...canaryStart([5]),
    { type: 'OBSERVE_START', percent: 5, observe_ms: 1, until: 'x' } as DeployEvent,
    analysis(5, 'pass'),
    { type: 'DEPLOY_SUCCEEDED' } as DeployEvent,
  ];
  events.push({ type: 'ABORT_REQUESTED', by: 'ops', reason: 'customer complaints' });
  assert.equal(next(events).kind, 'start-rollback');
  events.push(
    { type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_FLAG', status: 'success', detail: '' },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'success', detail: '' },
    { type: 'ROLLBACK_SUCCESS' },
  );
  const fail = next(events);
  assert.deepEqual(fail, {
    kind: 'fail',
    step: 'ABORT',
    code: 'E_ABORTED',
    reason: 'aborted by ops: customer complaints',
    rolledBack: true,
  });
  events.push({
    type: 'DEPLOY_FAILED',
    failed_step: 'ABORT',
    code: 'E_ABORTED',
    reason: 'x',
    rolled_back: true,
  });
  assert.deepEqual(next(events), { kind: 'done' });
});
