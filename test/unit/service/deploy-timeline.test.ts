import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeployEvent } from '../../../src/core/events.js';
import type { JournalRow } from '../../../src/ports/journal.js';
import { deployTimeline } from '../../../src/service/deploy-views.js';
import { happyPath } from '../../support/events.js';

const rowsOf = (events: DeployEvent[]): JournalRow[] =>
  events.map((event, i) => ({
    id: 10 + i,
    deploy_id: 'd',
    seq: i + 1,
    at: new Date(Date.UTC(2026, 1, 24, 10, 0, 2 * i)).toISOString(),
    event,
    prev_hash: '',
    hash: '',
  }));

test('each X_START with its end is a step with its duration; other events are points', () => {
  const steps = deployTimeline(rowsOf([...happyPath(), { type: 'DEPLOY_SUCCEEDED' }]));
  assert.deepEqual(
    steps.map((s) => [s.step, s.status, s.duration_ms]),
    [
      ['DEPLOY_REQUESTED', 'event', 0],
      ['PREFLIGHT', 'success', 2000],
      ['PREFLIGHT_PASSED', 'event', 0],
      ['BUILD', 'success', 2000],
      ['PUSH', 'success', 2000],
      ['APPLY', 'success', 2000],
      ['FLAG', 'success', 2000],
      ['FLAG_ACTIVATED', 'event', 0],
      ['DEPLOY_SUCCEEDED', 'event', 0],
    ],
  );
  assert.deepEqual(steps[1]!.rows, [11, 12]);
});

test('a step still open is running; a failed one says so', () => {
  const path = happyPath();
  const build = path.findIndex((e) => e.type === 'BUILD_START');
  const running = deployTimeline(rowsOf(path.slice(0, build + 1)));
  assert.deepEqual(running.at(-1), {
    step: 'BUILD',
    status: 'running',
    started_at: running.at(-1)!.started_at,
    ended_at: null,
    duration_ms: null,
    rows: [10 + build],
  });
  const failed = deployTimeline(
    rowsOf([
      ...path.slice(0, build + 1),
      { type: 'BUILD_FAILED', code: 'E_BUILD_FAILED', reason: 'exit 1' } as DeployEvent,
    ]),
  );
  assert.equal(failed.at(-1)!.status, 'failed');
});
