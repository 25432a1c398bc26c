import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteQueue } from '../../src/adapters/queue/sqlite-queue.js';
import { resultOf } from '../support/cli.js';
import { flagState, serving } from '../support/env-state.js';
import { writeSampleChangeset, type SampleOptions } from '../support/sample-app.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { startTraffic } from '../support/traffic.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';

let project: ServingProject;
let strategy: string;
before(async () => {
  project = await makeServingProject(['ff-a', 'ff-b', 'ff-c', 'ff-d', 'ff-e'], {
    'ff-d': ['on', '--percentage', '30'],
  });
  strategy = project.strategy(
    'train',
    'mode: fast-track\nbatching: { window: 1m, observe: 1s }\n' + analysisWithMinRequests(5),
  );
});
after(() => project.dispose());

const changeset = (name: string, o: SampleOptions) => writeSampleChangeset(project.dir, name, o);
const train = (files: string[]) =>
  project.cli([
    'deploy',
    ...files.flatMap((f) => ['-c', f]),
    '--env',
    'production',
    '--strategy',
    strategy,
    '--output',
    'json',
  ]);

test('a 3-batch train ships each changeset in order behind its own flag, observed between batches', async () => {
  const traffic = startTraffic(project.url(), 6);
  const run = await train([
    changeset('a', { version: '1.1.0', flag: 'ff-a' }),
    changeset('b', { version: '1.2.0', flag: 'ff-b' }),
    changeset('c', { version: '1.3.0', flag: 'ff-c' }),
  ]);
  const report = await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  const r = resultOf(run);
  assert.deepEqual(
    r.batches.map((b: any) => [b.changeset, b.status]),
    [
      ['a', 'success'],
      ['b', 'success'],
      ['c', 'success'],
    ],
  );
  assert.equal(r.batches[0].observation.verdict, 'pass');
  assert.equal(r.batches[2].observation.verdict, 'pass', 'the last batch is observed too');
  assert.match(r.version, /^1\.3\.0-/);
  assert.deepEqual(Object.values(await serving(project.cli)), [100]);
  for (const f of ['ff-a', 'ff-b', 'ff-c'])
    assert.deepEqual(await flagState(project.cli, f), { state: 'on', percentage: 100 });
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(
    report.versions['1.1.0'] && report.versions['1.2.0'] && report.versions['1.3.0'],
    JSON.stringify(report.versions),
  );
  assert.deepEqual(
    r.actions_log.filter((e: any) => e.action === 'FLAG_ACTIVATED').map((e: any) => e.batch),
    [1, 2, 3],
  );
});

test('a failure in batch 2 rolls back batches 2..1: traffic and every flag as before batch 1', async () => {
  const before = await serving(project.cli);
  const traffic = startTraffic(project.url(), 6);
  const run = await train([
    changeset('d', { version: '1.4.0', flag: 'ff-d' }),
    changeset('e', { version: '1.5.0', flag: 'ff-e', broken: true }),
    changeset('f', { version: '1.6.0', flag: 'ff-a' }),
  ]);
  await traffic.stop();
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.deepEqual(
    r.batches.map((b: any) => b.status),
    ['rolled_back', 'failed', 'not_started'],
  );
  assert.equal(r.failed_step, 'OBSERVE');
  assert.match(r.reason, /canary 5xx 100 % .*→ fail/);
  assert.deepEqual(r.rollback, {
    status: 'success',
    actions: ['ROLLBACK_FLAG#2', 'ROLLBACK_FLAG#1', 'ROLLBACK_APPLY'],
  });
  assert.deepEqual(await serving(project.cli), before);
  assert.deepEqual(await flagState(project.cli, 'ff-d'), { state: 'on', percentage: 30 });
  assert.deepEqual(await flagState(project.cli, 'ff-e'), { state: 'off', percentage: 0 });
  const calm = startTraffic(project.url(), 4);
  await new Promise((res) => setTimeout(res, 300));
  const report = await calm.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(Object.keys(report.versions), ['1.3.0']);
});

test('a failure in the last batch rolls back batches 3..1: exit 1, everyone back on the version before the train', async () => {
  const before = await serving(project.cli);
  const traffic = startTraffic(project.url(), 6);
  const run = await train([
    changeset('i', { version: '1.4.1', flag: 'ff-d' }),
    changeset('j', { version: '1.4.2', flag: 'ff-e' }),
    changeset('k', { version: '1.4.3', flag: 'ff-b', broken: true }),
  ]);
  await traffic.stop();
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.deepEqual(
    r.batches.map((b: any) => b.status),
    ['rolled_back', 'rolled_back', 'failed'],
  );
  assert.equal(r.failed_step, 'OBSERVE');
  assert.match(r.reason, /canary 5xx 100 % .*→ fail/);
  assert.deepEqual(await serving(project.cli), before);
  assert.deepEqual(await flagState(project.cli, 'ff-d'), { state: 'on', percentage: 30 });
  assert.deepEqual(await flagState(project.cli, 'ff-e'), { state: 'off', percentage: 0 });
  assert.deepEqual(await flagState(project.cli, 'ff-b'), { state: 'on', percentage: 100 });
  const calm = startTraffic(project.url(), 4);
  await new Promise((res) => setTimeout(res, 300));
  const report = await calm.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(Object.keys(report.versions), ['1.3.0']);
});

test('a batch that never gets healthy rolls back the batches before it', async () => {
  const before = await serving(project.cli);
  const traffic = startTraffic(project.url(), 4);
  const run = await train([
    changeset('g', { version: '1.7.0', flag: 'ff-d' }),
    changeset('h', { version: '1.8.0', flag: 'ff-e', healthy: false }),
  ]);
  const report = await traffic.stop();
  assert.equal(run.code, 1);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'APPLY');
  assert.deepEqual(r.deadline?.name, 'health');
  assert.deepEqual(
    r.batches.map((b: any) => b.status),
    ['rolled_back', 'failed'],
  );
  assert.deepEqual(await serving(project.cli), before);
  assert.deepEqual(await flagState(project.cli, 'ff-d'), { state: 'on', percentage: 30 });
  assert.equal(report.failed, 0, report.failures.join('\n'));
});

test('submit queues changesets; deploy --queued ships the window as one train, in submission order', async () => {
  const empty = await project.cli(['deploy', '--queued', '--env', 'production']);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stderr, /nothing is queued for production/);
  for (const [name, version] of [
    ['q1', '1.9.0'],
    ['q2', '1.9.1'],
  ] as const) {
    const s = await project.cli([
      'submit',
      changeset(name, { version, flag: 'ff-b' }),
      '--env',
      'production',
      '--strategy',
      strategy,
    ]);
    assert.equal(s.code, 0, s.stderr);
  }
  const twice = await project.cli(['submit', join(project.dir, 'q1.yaml'), '--env', 'production']);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /changeset q1 is already queued for production/);
  // A deploy that claimed the window and died before journaling anything must not lose it.
  const queue = openSqliteQueue(join(project.stateDir, 'queue.db'));
  await queue.take('production', 'ghost-deploy');
  await queue.close();
  const traffic = startTraffic(project.url(), 6);
  const run = await project.cli(['deploy', '--queued', '--env', 'production', '--output', 'json']);
  await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    resultOf(run).batches.map((b: any) => b.changeset),
    ['q1', 'q2'],
  );
  const again = await project.cli(['deploy', '--queued', '--env', 'production']);
  assert.match(again.stderr, /nothing is queued/);
});

test('rollback of a finished deploy restores what was before it, and refuses when a later deploy changed things', async () => {
  const list = JSON.parse(
    (await project.cli(['status', '--env', 'production', '--output', 'json'])).stdout,
  ) as Array<{ deploy_id: string; last_type: string }>;
  const succeeded = list.filter((d) => d.last_type === 'DEPLOY_SUCCEEDED').map((d) => d.deploy_id);
  const [older, latest] = [succeeded[succeeded.length - 2]!, succeeded[succeeded.length - 1]!];
  const refused = await project.cli(['rollback', older]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /changed production after it; use --force/);

  const before = await serving(project.cli);
  const run = await project.cli(['rollback', latest, '--reason', 'bad release', '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const r = resultOf(run);
  assert.equal(r.rollback.status, 'success');
  assert.match(r.reason, /rolled back by .*: bad release/);
  assert.deepEqual(
    Object.keys(await serving(project.cli)).map((t) => t.split('-')[0]),
    ['1.3.0'],
  );
  assert.notDeepEqual(await serving(project.cli), before);
  const again = await project.cli(['rollback', latest]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already rolled back/);
});

test('fast_track.watch: a version that fails half its requests after boot is rolled back', async () => {
  const watched = join(project.dir, 'watched.yaml');
  writeFileSync(watched, 'mode: fast-track\nfast_track: { watch: 5s }\n' + analysisWithMinRequests(5));
  const before = await serving(project.cli);
  const traffic = startTraffic(project.url(), 4);
  const run = await project.cli([
    ...['deploy', '-c', changeset('w', { version: '3.0.0', flag: 'ff-e', failEvery: 2 })],
    ...['--env', 'production', '--strategy', watched, '--output', 'json'],
  ]);
  await traffic.stop();
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'OBSERVE');
  assert.match(
    r.reason,
    /against the pre-deploy baseline: .*canary 5xx [\d.]+ % .*is above max_error_rate_5xx 1 % → fail/,
  );
  const observe = r.actions_log.find((e: any) => e.action === 'OBSERVE');
  assert.equal(observe?.status, 'failed', JSON.stringify(r.actions_log));
  assert.deepEqual(await serving(project.cli), before);
  assert.deepEqual(await flagState(project.cli, 'ff-e'), { state: 'off', percentage: 0 });
});
