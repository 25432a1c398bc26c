import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resultOf } from '../support/cli.js';
import { flagState, serving } from '../support/env-state.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { startTraffic } from '../support/traffic.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';

let project: ServingProject;
before(async () => {
  project = await makeServingProject();
});
after(() => project.dispose());

/** Deploys the sample app at `version` (changeset `name`) with `strategy`; the result as JSON. */
const deployJson = (name: string, version: string, strategy: string) =>
  project.deploy(writeSampleChangeset(project.dir, name, { version }), strategy, '--output', 'json');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Waits until a deploy holds production's lock: a fixed sleep loses to a slow CLI under load. */
async function lockTaken(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const status = await project.cli(['lock', 'status', '--env', 'production', '--output', 'json']);
    if (status.code === 0 && JSON.parse(status.stdout).length > 0) return;
    await sleep(50);
  }
  assert.fail('no deploy took the lock');
}

test('two deploys on one environment: the second fails naming the holder, or waits with --wait', async () => {
  // The first deploy must still hold the lock when the two others have started: on a loaded
  // 2-core machine starting a CLI took more than the 4 s this observation once lasted.
  const slow = project.strategy(
    'slow',
    'mode: canary\ncanary: { steps: [5, 100], observe: 15s }\n' + analysisWithMinRequests(3),
  );
  const v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0' });
  const traffic = startTraffic(project.url(), 4);
  const first = project.deploy(writeSampleChangeset(project.dir, 'c1', { version: '1.1.0' }), slow);
  await lockTaken();
  // Both start while the first deploy holds the lock (its observation alone lasts 15 s).
  const waiting = project.deploy(v2, 'fast-track', '--wait', '60s');
  const refused = await project.deploy(v2, 'fast-track');
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    /E_LOCK_HELD: environment production is locked by \S+@\S+ \(pid \d+, cutover deploy, deploy [0-9a-f-]{36}\) since .*reason "deploy to production"/,
  );
  const waited = await waiting;
  const firstRun = await first;
  await traffic.stop();
  assert.equal(firstRun.code, 0, firstRun.stderr);
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stderr, /waiting for production's lock, held by/);
  assert.deepEqual(
    Object.keys(await serving(project.cli)).map((t) => t.split('-')[0]),
    ['2.0.0'],
  );
  const free = await project.cli(['lock', 'status', '--env', 'production', '--output', 'json']);
  assert.deepEqual(JSON.parse(free.stdout), []);
});

test('the deploy deadline fires during a long observation: rolled back, and the result says which deadline', async () => {
  const before = await serving(project.cli);
  const late = project.strategy(
    'late',
    // The deadline must fire in the observation, not before APPLY: 4 s leaves room for a slow build.
    'mode: canary\ncanary: { steps: [5], observe: 30s }\ndeadlines: { deploy: { after: 4s } }\n',
  );
  const run = await deployJson('c2', '2.1.0', late);
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'DEADLINE');
  assert.equal(r.deadline.name, 'deploy');
  assert.equal(r.deadline.action, 'rollback');
  assert.equal(r.rollback.status, 'success');
  assert.deepEqual(await serving(project.cli), before);
});

test('a manual deploy not approved in time is rejected by its deadline: approve then refuses', async () => {
  const manual = project.strategy('manual', 'mode: manual\ndeadlines: { approval: { after: 1s } }\n');
  const run = await deployJson('m1', '2.2.0', manual);
  assert.equal(run.code, 0, run.stderr);
  const id = resultOf(run).deploy_id;
  await sleep(1200);
  // approve holds production's lock; the deadline of a deploy waiting for production fires first.
  const late = await project.cli(['approve', id]);
  assert.equal(late.code, 2);
  assert.match(late.stderr, /approval deadline passed .*; reject/);
  assert.match(late.stderr, /already rejected by deadline approval/);
  const r = resultOf(await project.cli(['status', id, '--output', 'json']));
  assert.equal(r.approval.state, 'rejected');
  assert.equal(r.approval.by, 'deadline approval');
  assert.equal(r.deadline.name, 'approval');
});

test('a canary left at its step past the promotion deadline is promoted when on_timeout says so', async () => {
  const canary = project.strategy(
    'hold',
    'mode: canary\ncanary: { steps: [5], observe: 1s }\n' +
      analysisWithMinRequests(3) +
      'deadlines: { promotion: { after: 5s, on_timeout: promote } }\n',
  );
  const traffic = startTraffic(project.url(), 4);
  const run = await deployJson('c3', '2.3.0', canary);
  // The promotion deadline started before the deploy returned: it has passed 5 s from now.
  const deadlinePassed = Date.now() + 5000;
  await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(resultOf(run).canary, { percentage: 5, state: 'paused' });
  const onTop = await project.deploy(
    writeSampleChangeset(project.dir, 'c4', { version: '2.4.0' }),
    'fast-track',
  );
  assert.equal(onTop.code, 2, 'no deploy on top of a paused canary');
  assert.match(
    onTop.stderr,
    /has canary deploy \S+ \(2\.3\.0-\S+\) paused at 5 % .*promote or abort it first/,
  );
  await sleep(deadlinePassed + 200 - Date.now());
  const recover = await project.cli(['recover', '--env', 'production', '--output', 'json']);
  assert.equal(recover.code, 0, recover.stderr);
  const [r] = JSON.parse(recover.stdout).recovered;
  assert.equal(r.deadline.name, 'promotion');
  assert.deepEqual(r.canary, { percentage: 100, state: 'promoted' });
  assert.deepEqual(Object.values(await serving(project.cli)), [100]);
  assert.deepEqual(await flagState(project.cli, 'ff-shop'), { state: 'on', percentage: 100 });
});

test('lock release of a dead deploy is journaled in that deploy; recover then rolls it back', async () => {
  const before = await serving(project.cli);
  const v3 = writeSampleChangeset(project.dir, 'v3', { version: '3.0.0' });
  const killed = await project.cli(['deploy', '-c', v3, '--env', 'production', '--strategy', 'fast-track'], {
    CUTOVER_FAILPOINT: 'after-append:9',
  });
  assert.equal(killed.code, -1);
  const status = JSON.parse((await project.cli(['lock', 'status', '--output', 'json'])).stdout);
  const deployId = status[0].owner.deploy_id as string;
  const release = await project.cli(['lock', 'release', '--env', 'production']);
  assert.match(release.stdout, /released the lock on production/);
  const log = await project.cli(['log', deployId]);
  assert.match(log.stdout, /LOCK_TAKEN_OVER .*force-released by .* with cutover lock release/);
  const recover = await project.cli(['recover', '--env', 'production']);
  assert.equal(recover.code, 0, recover.stderr);
  assert.deepEqual(await serving(project.cli), before);
});
