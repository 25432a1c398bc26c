import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import type { DeployEvent } from '../../../src/core/events.js';
import type { ExecutorContext } from '../../../src/executor/context.js';
import { openDeploys } from '../../../src/executor/open-deploys.js';
import { happyPath, requested } from '../../support/events.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

const succeeded: DeployEvent = { type: 'DEPLOY_SUCCEEDED' };
const failed: DeployEvent = {
  type: 'DEPLOY_FAILED',
  failed_step: 'PREFLIGHT',
  rolled_back: false,
  code: 'E_DOD_INCOMPLETE',
  reason: 'r',
};

test('recovery folds only open deploys, and settles the finished ones so later commands skip them', async () => {
  const journal = openSqliteJournal(join(tmp.dir, 'journal.db'));
  const history: Array<[string, DeployEvent[]]> = [
    ['d-live', [...happyPath(), succeeded]],
    ['d-failed', [requested(), { type: 'PREFLIGHT_START' }, failed]],
    // A manual deploy on staging waits for its approval (and its deadline) after it succeeded.
    ['d-waiting', [requested('manual'), ...happyPath().slice(1), succeeded]],
    ['d-running', [requested(), { type: 'PREFLIGHT_START' }]],
  ];
  for (const [id, events] of history)
    for (const [seq, event] of events.entries()) await journal.append(id, seq, new Date(), event);
  const ctx = {
    journal,
    clock: { now: () => new Date() },
    sleep: async () => undefined,
    progress: () => undefined,
    secrets: [],
  } as unknown as ExecutorContext;

  const open = async () => (await openDeploys(ctx)).map((rec) => rec.deployId);
  const indexed = async () => (await journal.openDeploys()).map((d) => d.deploy_id);
  assert.deepEqual(await indexed(), ['d-live', 'd-failed', 'd-waiting', 'd-running']);
  assert.deepEqual(await open(), ['d-waiting', 'd-running']);
  assert.deepEqual(await indexed(), ['d-waiting', 'd-running'], 'the finished ones were settled');
  // An intent on a settled deploy (cutover rollback) opens it again.
  await journal.append('d-live', 12, new Date(), {
    type: 'ROLLBACK_REQUESTED',
    by: 'ops',
    reason: 'r',
    force: false,
  });
  assert.deepEqual(await open(), ['d-live', 'd-waiting', 'd-running']);
  await journal.close();
});
