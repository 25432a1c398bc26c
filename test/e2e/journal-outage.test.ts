import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resultOf, type CliRun } from '../support/cli.js';
import { flagState, serving } from '../support/env-state.js';
import { countEvents, holdJournal, waitForEvent, type JournalHolder } from '../support/journal-holder.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { startTraffic } from '../support/traffic.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';

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
const OFF = { state: 'off', percentage: 0 };

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
  const strategy = 'mode: canary\ncanary: { steps: [5], observe: 3s }\n' + analysisWithMinRequests(5);
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

// A deploy deadline of 25 s ends the wait for the journal there, well before its 30 s patience.
const SHORT = 'mode: canary\ncanary: { steps: [5], observe: 3s }\ndeadlines: { deploy: { after: 25s } }\n';

/** Waits until the canary is gone from the router: the rollback done without the journal. */
async function untilServing(expected: Record<string, number>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (JSON.stringify(await servingNow()) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(await servingNow(), expected);
}

test('(b) held past the deadline: rolled back at once, recorded by the same deploy once the lock goes', async () => {
  const traffic = startTraffic(project.url(), 4);
  const { run } = await canaryWithJournalTaken('2.1.0', SHORT + analysisWithMinRequests(5));
  await untilServing(V1);
  const flagBeforeRecords = await flagState(project.cli, 'ff-a');
  await holder!.release();
  const done = await run;
  // Traffic and flag were back while the journal was still held: the records followed.
  assert.deepEqual(flagBeforeRecords, OFF, done.stderr);
  assert.equal(done.code, 1, done.stderr);
  assert.match(
    done.stderr,
    /rolling back without it \(recorded once it is back\): ROLLBACK_FLAG, ROLLBACK_APPLY/,
  );
  const r = resultOf(done);
  assert.equal(r.status, 'failed');
  assert.match(
    r.reason,
    /^the journal was unavailable from .*database is locked.*; production was rolled back /,
  );
  assert.deepEqual(r.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
  assert.deepEqual(r.flag_status, { name: 'ff-a', ...OFF });
  const report = await traffic.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(await servingNow(), V1);
  await auditOk();
});

test('(b) the journal stays held: exit 1 with one line, and recover records the rollback', async () => {
  const traffic = startTraffic(project.url(), 4);
  const { run } = await canaryWithJournalTaken('2.2.0', SHORT + analysisWithMinRequests(5));
  const done = await run;
  assert.equal(done.code, 1, done.stderr);
  assert.equal(done.stdout, '');
  const last = done.stderr.trimEnd().split('\n').at(-1)!;
  assert.match(
    last,
    /^cutover: E_JOURNAL_UNAVAILABLE: deploy (\S+): production was rolled back \(flag ff-a back to off 0 % in production; production back to 1\.0\.0-1234567-\d{8} 100 %\), but the journal does not record it yet \(journal \S+journal\.db is unavailable: database is locked \(SQLITE_BUSY\)\); cutover recover will record it$/,
  );
  assert.deepEqual(await servingNow(), V1);
  assert.deepEqual(await flagState(project.cli, 'ff-a'), OFF);
  await holder!.release();

  const recover = await project.cli(['recover', '--env', 'production', '--output', 'json']);
  assert.equal(recover.code, 0, recover.stderr);
  const [recovered, ...more] = JSON.parse(recover.stdout).recovered;
  assert.equal(more.length, 0);
  assert.equal(recovered.deploy_id, /deploy (\S+):/.exec(last)![1]);
  assert.equal(recovered.status, 'failed');
  assert.deepEqual(recovered.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
  const log = await project.cli(['log', recovered.deploy_id]);
  assert.match(log.stdout, /DEPLOY_FAILED/);
  const report = await traffic.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(await servingNow(), V1);
  assert.deepEqual(await flagState(project.cli, 'ff-a'), OFF);
  await auditOk();
});
