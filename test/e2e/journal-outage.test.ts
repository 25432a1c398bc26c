import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resultOf, type CliRun } from '../support/cli.js';
import { serving } from '../support/env-state.js';
import { countEvents, holdJournal, waitForEvent, type JournalHolder } from '../support/journal-holder.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { startTraffic } from '../support/traffic.js';
import { analysisIgnoringLatency } from '../support/analysis-yaml.js';

// Another process holds BEGIN EXCLUSIVE on journal.db while a real 5 % canary is observed.
let project: ServingProject;
let journal: string;
let holder: JournalHolder | undefined;
before(async () => {
  project = await makeServingProject(['ff-a']);
  journal = join(project.stateDir, 'journal.db');
});
after(async () => {
  await holder?.release();
  await project.dispose();
});

const V1 = { '1.0.0-1234567': 100 };

/** `runtime status` keyed by version (the tag without its date), as the assertions read best. */
async function servingNow(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [tag, w] of Object.entries(await serving(project.cli))) out[tag.replace(/-\d{8}$/, '')] = w;
  return out;
}

/** Starts a canary deploy of `version` and takes the journal away once it observes at 5 %. */
async function canaryWithJournalTaken(version: string, strategy: string): Promise<{ run: Promise<CliRun> }> {
  const changeset = writeSampleChangeset(project.dir, `v${version}`, { version, flag: 'ff-a' });
  const seen = countEvents(journal, 'OBSERVE_START');
  const run = project.deploy(changeset, project.strategy(`s${version}`, strategy), '--output', 'json');
  await waitForEvent(journal, 'OBSERVE_START', seen);
  holder = await holdJournal(journal);
  return { run };
}

async function auditOk(): Promise<void> {
  const verify = await project.cli(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
}

test('(a) the journal is held 14 s mid-canary: the deploy waits for it and carries on', async () => {
  const traffic = startTraffic(project.url(), 4);
  const strategy = 'mode: canary\ncanary: { steps: [5], observe: 3s }\n' + analysisIgnoringLatency(5);
  const { run } = await canaryWithJournalTaken('2.0.0', strategy);
  await new Promise((resolve) => setTimeout(resolve, 14_000));
  await holder!.release();
  const done = await run;
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /database is locked \(SQLITE_BUSY\); waiting up to \d+ s for it to record/);
  assert.match(done.stderr, /the journal is available again after \d+ s/);
  const r = resultOf(done);
  assert.deepEqual(r.canary, { percentage: 5, state: 'paused' });
  const abort = await project.cli(['abort', r.deploy_id]);
  assert.equal(abort.code, 1, abort.stderr);
  const report = await traffic.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(await servingNow(), V1);
  await auditOk();
});
