import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decider.js';
import { foldEvents } from '../../src/core/fold-deploy.js';
import type { DeployEvent } from '../../src/core/events.js';
import { happyPath, requested, rowsOf } from '../support/events.js';

const next = (events: DeployEvent[]) => decide(foldEvents('d1', rowsOf(events)));
const upTo = (type: DeployEvent['type']) => {
  const events = happyPath();
  return events.slice(0, events.findIndex((e) => e.type === type) + 1);
};

test('a fast-track deploy walks the seed pipeline in order', () => {
  const kinds: string[] = [];
  const events = happyPath();
  for (let i = 1; i <= events.length; i++) {
    const cmd = next(events.slice(0, i));
    if (kinds[kinds.length - 1] !== cmd.kind) kinds.push(cmd.kind);
  }
  assert.deepEqual(kinds, ['preflight', 'build', 'push', 'apply', 'set-flag', 'succeed']);
  assert.deepEqual(next([...events, { type: 'DEPLOY_SUCCEEDED' }]), { kind: 'done' });
});

test('the flag each mode asks for: ON 100 %, ON 5 %, OFF', () => {
  const atFlag = (mode: 'fast-track' | 'canary' | 'manual') =>
    next([requested(mode), ...upTo('APPLY_SUCCESS').slice(1)]);
  assert.deepEqual(atFlag('fast-track'), { kind: 'set-flag', desired: { state: 'on', percentage: 100 } });
  assert.deepEqual(atFlag('canary'), { kind: 'set-flag', desired: { state: 'on', percentage: 5 } });
  assert.deepEqual(atFlag('manual'), { kind: 'set-flag', desired: { state: 'off', percentage: 0 } });
});

for (const [failed, step] of [
  ['PREFLIGHT_FAILED', 'PREFLIGHT'],
  ['BUILD_FAILED', 'BUILD'],
  ['PUSH_FAILED', 'PUSH'],
] as const) {
  test(`${failed} aborts with its reason and nothing to undo`, () => {
    const before = upTo(failed.replace('_FAILED', '_START') as DeployEvent['type']);
    const failure =
      failed === 'PREFLIGHT_FAILED'
        ? {
            type: failed,
            checks: [],
            baseline: null,
            flag: null,
            code: 'E_DOD_INCOMPLETE',
            reason: 'DoD incomplete (8/9): load-test',
          }
        : { type: failed, code: 'E_X', reason: 'it broke' };
    const cmd = next([...before, failure as DeployEvent]);
    assert.equal(cmd.kind, 'fail');
    assert.equal(cmd.kind === 'fail' && cmd.step, step);
    assert.equal(cmd.kind === 'fail' && cmd.rolledBack, false);
  });
}

test('APPLY_FAILED rolls the environment back to the recorded snapshot, then fails', () => {
  const events: DeployEvent[] = [
    ...upTo('APPLY_START'),
    { type: 'APPLY_FAILED', code: 'E_HEALTH_TIMEOUT', reason: '/health never answered 200' },
  ];
  const start = next(events);
  assert.equal(start.kind, 'start-rollback');
  assert.deepEqual(start.kind === 'start-rollback' && start.compensations.map((c) => c.action), [
    'ROLLBACK_APPLY',
  ]);
  events.push({ type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_APPLY'] });
  const comp = next(events);
  assert.equal(comp.kind === 'compensate' && comp.compensation.action, 'ROLLBACK_APPLY');
  assert.equal(
    comp.kind === 'compensate' &&
      comp.compensation.action === 'ROLLBACK_APPLY' &&
      comp.compensation.previous.versions[0]?.release.digest,
    'sha256:old',
  );
  events.push({ type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'success', detail: '' });
  assert.deepEqual(next(events), { kind: 'end-rollback', failed: [] });
  events.push({ type: 'ROLLBACK_SUCCESS' });
  const fail = next(events);
  assert.deepEqual(fail, {
    kind: 'fail',
    step: 'APPLY',
    code: 'E_HEALTH_TIMEOUT',
    reason: '/health never answered 200',
    rolledBack: true,
  });
});

test('FLAG_FAILED undoes the flag first, then the apply (newest first)', () => {
  const events: DeployEvent[] = [
    ...upTo('FLAG_START'),
    { type: 'FLAG_FAILED', code: 'E_FLAG_FAILED', reason: 'store down' },
  ];
  const cmd = next(events);
  assert.deepEqual(cmd.kind === 'start-rollback' && cmd.compensations.map((c) => c.action), [
    'ROLLBACK_FLAG',
    'ROLLBACK_APPLY',
  ]);
});

test('a failed compensation ends the rollback as failed, and the deploy is not reported rolled back', () => {
  const events: DeployEvent[] = [
    ...upTo('APPLY_START'),
    { type: 'APPLY_FAILED', code: 'E_APPLY_FAILED', reason: 'x' },
    { type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_APPLY'] },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'failed', detail: 'runtime down' },
  ];
  assert.deepEqual(next(events), { kind: 'end-rollback', failed: ['ROLLBACK_APPLY'] });
  events.push({ type: 'ROLLBACK_FAILED', code: 'E_APPLY_FAILED', reason: 'could not undo ROLLBACK_APPLY' });
  assert.equal(next(events).kind === 'fail' && (next(events) as { rolledBack: boolean }).rolledBack, false);
});

test('a step that started but never ended is decided again (resume after a crash)', () => {
  assert.equal(next(upTo('BUILD_START')).kind, 'build');
  assert.equal(next(upTo('PUSH_START')).kind, 'push');
  assert.equal(next(upTo('APPLY_START')).kind, 'apply');
  assert.equal(next(upTo('FLAG_START')).kind, 'set-flag');
});
