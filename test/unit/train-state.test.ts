import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decider.js';
import { foldEvents } from '../../src/core/fold-deploy.js';
import type { DeployEvent } from '../../src/core/events.js';
import { happyPath, OLD, requested, rowsOf } from '../support/events.js';

const state = (events: DeployEvent[]) => foldEvents('d1', rowsOf(events));

test('a canary step records what serves, so rollback compares with the split it left', () => {
  const split = { ...OLD, versions: [{ ...OLD.versions[0]!, weight: 75 }] };
  const s = state([
    requested('canary'),
    ...happyPath().slice(1),
    { type: 'STEP_START', percent: 25 },
    { type: 'STEP_SUCCESS', percent: 25, current: split },
  ]);
  assert.deepEqual(s.currentTarget, split);
  assert.equal(s.canary?.percent, 25);
});

test('a step that threw outside its START/FAILED pair fails the deploy and rolls back what it applied', () => {
  const s = state([
    ...happyPath(),
    { type: 'EXECUTOR_ERROR', step: 'OBSERVE', code: 'E_RUNTIME_UNAVAILABLE', reason: 'metrics down' },
  ]);
  assert.equal(s.failure?.step, 'OBSERVE');
  const next = decide(s);
  assert.equal(next.kind, 'start-rollback');
  assert.deepEqual(next.kind === 'start-rollback' && next.compensations.map((c) => c.action), [
    'ROLLBACK_FLAG',
    'ROLLBACK_APPLY',
  ]);
});

test('rollback asked again after a failed rollback retries only what did not succeed', () => {
  const failed: DeployEvent[] = [
    ...happyPath(),
    { type: 'APPLY_FAILED', code: 'E_X', reason: 'x' },
    { type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_FLAG', status: 'success', detail: '' },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'failed', detail: 'runtime down' },
    { type: 'ROLLBACK_FAILED', code: 'E_APPLY_FAILED', reason: 'could not undo ROLLBACK_APPLY' },
    { type: 'DEPLOY_FAILED', failed_step: 'APPLY', code: 'E_X', reason: 'x', rolled_back: false },
  ];
  assert.equal(decide(state(failed)).kind, 'done');
  const retried = state([...failed, { type: 'ROLLBACK_REQUESTED', by: 'op', reason: 'retry', force: false }]);
  const next = decide(retried);
  assert.equal(next.kind === 'compensate' && next.compensation.action, 'ROLLBACK_APPLY');
  const finished = state([
    ...failed,
    { type: 'ROLLBACK_REQUESTED', by: 'op', reason: 'retry', force: false },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'success', detail: '' },
  ]);
  assert.deepEqual(decide(finished), { kind: 'end-rollback', failed: [] });
});

test('an approval deadline rejects the deploy in the same event', () => {
  const s = state([
    requested('manual'),
    ...happyPath().slice(1),
    { type: 'DEPLOY_SUCCEEDED' },
    { type: 'DEADLINE_FIRED', name: 'approval', deadline: '2026-02-25T10:00:00.000Z', action: 'reject' },
  ]);
  assert.equal(s.approval?.state, 'rejected');
  assert.equal(s.approval?.by, 'deadline approval');
  assert.equal(decide(s).kind, 'done');
});
