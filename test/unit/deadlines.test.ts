import { analysisSchema } from '../../src/core/schema/strategy.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldEvents } from '../../src/core/fold-deploy.js';
import { deployDeadlineAt, dueDeadline } from '../../src/core/deadlines.js';
import { decide } from '../../src/core/decider.js';
import type { DeployEvent } from '../../src/core/events.js';
import { fixedAt, happyPath, requested, rowsOf } from '../support/events.js';

const at = (iso: string, plusMs: number) => new Date(Date.parse(iso) + plusMs);
const state = (events: DeployEvent[]) => foldEvents('d1', rowsOf(events));

test('the deploy deadline counts from the request and turns into a rollback once fired', () => {
  const events = happyPath();
  const s = state(events);
  assert.equal(deployDeadlineAt(s), Date.parse(fixedAt(0)) + 1_800_000);
  assert.equal(dueDeadline(s, at(fixedAt(0), 1_800_000)), undefined, 'not before it passed');
  const due = dueDeadline(s, at(fixedAt(0), 1_800_001));
  assert.deepEqual(due, {
    name: 'deploy',
    deadline: new Date(Date.parse(fixedAt(0)) + 1_800_000).toISOString(),
    action: 'rollback',
  });
  const fired = state([...events, { type: 'DEADLINE_FIRED', ...due! }]);
  assert.equal(fired.failure?.code, 'E_DEADLINE');
  const next = decide(fired);
  assert.equal(next.kind, 'start-rollback');
  assert.equal(dueDeadline(fired, at(fixedAt(0), 9_999_999)), undefined, 'fires once');
});

test('a finished fast-track deploy has no deadline left', () => {
  const s = state([...happyPath(), { type: 'DEPLOY_SUCCEEDED' }]);
  assert.equal(dueDeadline(s, at(fixedAt(0), 365 * 86_400_000)), undefined);
});

test('a manual deploy waits for approval until its approval deadline, which rejects it', () => {
  const events: DeployEvent[] = [requested('manual'), ...happyPath().slice(1), { type: 'DEPLOY_SUCCEEDED' }];
  const s = state(events);
  const finished = s.finishedAt!;
  assert.equal(dueDeadline(s, at(finished, 86_400_000)), undefined);
  assert.equal(dueDeadline(s, at(finished, 86_400_001))?.action, 'reject');
  const approved = state([
    ...events,
    {
      type: 'APPROVAL_RECORDED',
      decision: 'approved',
      by: 'a',
      strategy: 'fast-track',
      follow_up_deploy_id: 'x',
    },
  ]);
  assert.equal(dueDeadline(approved, at(finished, 86_400_001)), undefined);
});

test('the promotion deadline of a paused canary aborts by default, or promotes when asked', () => {
  const at5 = (e: DeployEvent): DeployEvent => (e.type === 'FLAG_ACTIVATED' ? { ...e, percentage: 5 } : e);
  const snapshot = { latency_p95_ms: 10, error_rate_5xx: 0, cpu_percent: 1, samples: 100, window_ms: 1000 };
  const analysis: DeployEvent = {
    type: 'ANALYSIS_RESULT',
    percent: 5,
    verdict: 'pass',
    reasons: ['ok'],
    canary: snapshot,
    baseline: snapshot,
    thresholds: analysisSchema.parse({ method: 'threshold' }),
    latency_increase_pct: 0,
  };
  const events: DeployEvent[] = [requested('canary'), ...happyPath().slice(1).map(at5), analysis];
  const s = state([...events, { type: 'DEPLOY_SUCCEEDED' }]);
  const due = dueDeadline(s, at(s.finishedAt!, 86_400_001));
  assert.equal(due?.name, 'promotion');
  assert.equal(due?.action, 'abort');
  const aborted = state([...events, { type: 'DEPLOY_SUCCEEDED' }, { type: 'DEADLINE_FIRED', ...due! }]);
  assert.equal(decide(aborted).kind, 'start-rollback');
  const promote = state([
    ...events,
    { type: 'DEPLOY_SUCCEEDED' },
    { type: 'DEADLINE_FIRED', ...due!, action: 'promote' },
  ]);
  assert.equal(decide(promote).kind, 'promote');
});
