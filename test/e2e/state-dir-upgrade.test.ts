import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployEvent } from '../../src/core/events.js';
import { happyPath } from '../support/events.js';
import { writePreIndexJournal } from '../support/pre-index-journal.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  mkdirSync(project.stateDir);
  // A state dir an earlier cutover left: one deploy live, one whose executor died after preflight.
  writePreIndexJournal(join(project.stateDir, 'journal.db'), [
    ['0190aaaa-live', [...happyPath(), { type: 'DEPLOY_SUCCEEDED' }]],
    ['0190bbbb-dead', happyPath().slice(0, 3)],
  ]);
});
after(() => project.dispose());

async function listed(): Promise<Array<{ deploy_id: string; last_type: DeployEvent['type'] }>> {
  const status = await project.cli(['status', '--output', 'json']);
  assert.equal(status.code, 0, status.stderr);
  return JSON.parse(status.stdout);
}

test('a state dir from before the deploy index: read as it is, indexed by the first command, audited OK', async () => {
  assert.deepEqual(
    (await listed()).map((d) => [d.deploy_id, d.last_type]),
    [
      ['0190aaaa-live', 'DEPLOY_SUCCEEDED'],
      ['0190bbbb-dead', 'PREFLIGHT_PASSED'],
    ],
  );
  // A deploy that aborts at its preflight (DoD 8/9) first rolls back the one a dead executor left.
  const changeset = writeSampleChangeset(project.dir, 'dod8', { version: '2.0.0', dodDone: 8 });
  const first = await project.deploy(changeset, 'fast-track');
  assert.equal(first.code, 1, first.stderr);
  assert.match(first.stderr, /recovering deploy 0190bbbb-dead: interrupted after PREFLIGHT_PASSED/);
  const after = await listed();
  assert.deepEqual(
    after.map((d) => d.last_type),
    ['DEPLOY_SUCCEEDED', 'DEPLOY_FAILED', 'DEPLOY_FAILED'],
  );
  const again = await project.deploy(changeset, 'fast-track');
  assert.equal(again.code, 1, again.stderr);
  assert.doesNotMatch(again.stderr, /recovering/);
  const audit = await project.cli(['audit', 'verify']);
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /^journal OK: \d+ rows, hash chain intact/);
});
