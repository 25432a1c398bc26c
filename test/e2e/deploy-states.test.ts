import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, deployArgs, resultOf } from '../support/cli.js';
import { getJson, makeProject } from '../support/project.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';
import { waitUntil } from '../support/wait-until.js';

// Each state `cutover status` can show (README, "Deploy states"), reached the way a user reaches
// it, on one project whose production serves 1.0.0.
let project: ServingProject;
before(async () => {
  project = await makeServingProject();
});
after(() => project.dispose());

async function statusOf(id: string): Promise<Record<string, any>> {
  const run = await project.cli(['status', id, '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  return resultOf(run);
}

/** The state the status list shows for `id`, in its table. */
async function listedState(id: string): Promise<string | undefined> {
  const run = await project.cli(['status']);
  return run.stdout
    .split('\n')
    .find((line) => line.startsWith(id))
    ?.split(/\s+/)[2];
}

const journalOf = async (id: string) => (await project.cli(['log', id, '--output', 'json'])).stdout;

test('running while its executor observes, interrupted once it is killed, rolled back by recover', async () => {
  const slow = project.strategy('slow', 'mode: canary\ncanary: { steps: [5], observe: 10m }\n');
  const changeset = writeSampleChangeset(project.dir, 'observing', { version: '1.1.0' });
  const child = spawn(process.execPath, [CLI, ...deployArgs(changeset, slow)], {
    cwd: project.dir,
    env: { ...process.env, CUTOVER_STATE_DIR: project.stateDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let id = '';
  await waitUntil(async () => {
    const list = JSON.parse((await project.cli(['status', '--output', 'json'])).stdout) as any[];
    const last = list.at(-1);
    if (last?.last_type !== 'OBSERVE_START') return false;
    id = last.deploy_id;
    return true;
  }, 'the canary to observe').catch((err: Error) => assert.fail(`${err.message}\n${stderr}`));
  const running = await statusOf(id);
  assert.equal(running.state, 'running');
  assert.equal(running.status, 'pending', 'never success before it ends');
  assert.equal(await listedState(id), 'running');

  child.kill('SIGKILL');
  await exited;
  assert.equal((await statusOf(id)).state, 'interrupted');
  assert.equal(await listedState(id), 'interrupted');
  const recover = await project.cli(['recover', '--env', 'production']);
  assert.equal(recover.code, 0, recover.stderr);
  assert.equal((await statusOf(id)).state, 'rolled_back');
});

test('awaiting, paused, a refused approve that changes nothing, rejected; approve once the canary is gone', async () => {
  const manual = await project.deploy(
    writeSampleChangeset(project.dir, 'm1', { version: '1.3.0' }),
    'manual',
    '--output',
    'json',
  );
  assert.equal(manual.code, 0, manual.stderr);
  const m1 = resultOf(manual);
  assert.equal(m1.state, 'awaiting_approval');
  assert.equal(m1.status, 'pending');
  // It runs on staging and waits for production: the result names both, each for what it is.
  assert.equal(m1.environment, 'staging');
  assert.equal(m1.approval.target, 'production');
  assert.equal(await listedState(m1.deploy_id), 'awaiting_approval');

  const canary = project.strategy(
    'canary',
    'mode: canary\ncanary: { steps: [5], observe: 2s }\n' + analysisWithMinRequests(1),
  );
  const traffic = startTraffic(project.url(), 4);
  const run = await project.deploy(
    writeSampleChangeset(project.dir, 'c', { version: '1.2.0' }),
    canary,
    '--output',
    'json',
  );
  await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  const c = resultOf(run);
  assert.equal(c.state, 'paused');
  assert.equal((await statusOf(c.deploy_id)).state, 'paused');

  const journal = await journalOf(m1.deploy_id);
  const refused = await project.cli(['approve', m1.deploy_id]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /E_WRONG_STATE: .*production has canary deploy .* paused at 5 %/);
  assert.equal(await journalOf(m1.deploy_id), journal, 'a refused approve journals nothing');
  assert.equal((await statusOf(m1.deploy_id)).state, 'awaiting_approval');

  const rejected = await project.cli(['reject', m1.deploy_id]);
  assert.equal(rejected.code, 0, rejected.stderr);
  const r = await statusOf(m1.deploy_id);
  assert.equal(r.state, 'rejected');
  assert.equal(r.status, 'failed');
  assert.equal(await listedState(m1.deploy_id), 'rejected');

  const second = await project.deploy(
    writeSampleChangeset(project.dir, 'm2', { version: '1.4.0' }),
    'manual',
    '--output',
    'json',
  );
  assert.equal(second.code, 0, second.stderr);
  const m2 = resultOf(second);
  const aborted = await project.cli(['abort', c.deploy_id]);
  assert.equal(aborted.code, 1, 'abort undoes the canary: the deploy reads rolled back');
  assert.equal((await statusOf(c.deploy_id)).state, 'rolled_back');
  const approved = await project.cli(['approve', m2.deploy_id, '--output', 'json']);
  assert.equal(approved.code, 0, approved.stderr);
  assert.equal(resultOf(approved).state, 'success');
  assert.equal(resultOf(approved).environment, 'production');
  assert.deepEqual((await getJson(project.url())).body, { version: '1.4.0' });
  assert.equal((await statusOf(m2.deploy_id)).state, 'success');
});

test('cutover schema result lists every state, and the batches statuses', async () => {
  const run = await project.cli(['schema', 'result']);
  assert.equal(run.code, 0, run.stderr);
  const schema = JSON.parse(run.stdout);
  assert.deepEqual(schema.properties.state.enum, [
    'running',
    'interrupted',
    'paused',
    'awaiting_approval',
    'success',
    'rejected',
    'failed',
    'rolled_back',
    'rollback_failed',
  ]);
  assert.deepEqual(schema.properties.status.enum, ['success', 'failed', 'pending']);
  const batch = schema.properties.batches.items.properties.status;
  assert.deepEqual(batch.enum, ['success', 'failed', 'rolled_back', 'running', 'not_started']);
});

test('a canary on an empty environment serves everyone with its flag ON 100 %, judged once, then success', async () => {
  const fresh = await makeProject();
  try {
    assert.equal((await fresh.cli(['flags', 'create', 'ff-shop'])).code, 0);
    const strategy = join(fresh.dir, 'first-canary.yaml');
    writeFileSync(
      strategy,
      'mode: canary\ncanary: { steps: [5], observe: 2s }\n' + analysisWithMinRequests(1),
    );
    const traffic = startTraffic(fresh.url(), 4);
    const run = await fresh.deploy(
      writeSampleChangeset(fresh.dir, 'first', { version: '1.0.0' }),
      strategy,
      '--output',
      'json',
    );
    await traffic.stop();
    assert.equal(run.code, 0, run.stderr);
    const r = resultOf(run);
    assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
    assert.deepEqual(r.canary, { percentage: 100, state: 'promoted' });
    assert.equal(r.analysis[0].compared_with, 'nothing');
    assert.deepEqual([r.status, r.state], ['success', 'success']);
    assert.deepEqual((await getJson(fresh.url())).body, { version: '1.0.0' });
  } finally {
    await fresh.dispose();
  }
});
