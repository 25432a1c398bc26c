import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resultOf } from '../support/cli.js';
import { holdLock } from '../support/lock-holder.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { endOf, makeServedProject, NAMES, servedClient, TOKENS } from '../support/serve-project.js';

let project: Awaited<ReturnType<typeof makeServedProject>>;
before(async () => {
  project = await makeServedProject();
});
after(async () => {
  await project.serve.stop();
  await project.dispose();
});

const client = () => servedClient(project);
const call: ReturnType<typeof servedClient>['call'] = (...args) => client().call(...args);
const deployBody: ReturnType<typeof servedClient>['deployBody'] = (...args) => client().deployBody(...args);
const stream: ReturnType<typeof servedClient>['events'] = (...args) => client().events(...args);
const ended = endOf;

test('four eyes: whoever started a manual deploy cannot approve it, over HTTP or the CLI; someone else can', async () => {
  const events = await stream();
  const started = await call('POST', '/api/deploys', TOKENS.approver, deployBody('m1', '1.0.0', 'manual'));
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const id = started.body.deploy_id;
  await events.collect((e) => e.event === 'FLAG_ACTIVATED' && JSON.parse(e.data).deploy_id === id);
  const awaiting = await call('GET', `/api/deploys/${id}`, TOKENS.viewer);
  assert.equal(awaiting.body.deploy_result.state, 'awaiting_approval');
  const byDeployer = await call('POST', `/api/deploys/${id}/approve`, TOKENS.deployer);
  assert.equal(byDeployer.status, 403);
  assert.equal(byDeployer.body.code, 'E_FORBIDDEN');
  const self = await call('POST', `/api/deploys/${id}/approve`, TOKENS.approver);
  assert.equal(self.status, 403);
  assert.equal(self.body.code, 'E_SELF_APPROVAL');
  // the CLI takes the same path: its identity is CUTOVER_ACTOR (or the OS user)
  const cli = await project.cli(['approve', id], { CUTOVER_ACTOR: NAMES.approver });
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /E_SELF_APPROVAL: alice started deploy .* four_eyes: true/);
  const approved = await call('POST', `/api/deploys/${id}/approve`, TOKENS.admin, { strategy: 'fast-track' });
  assert.equal(approved.status, 202, JSON.stringify(approved.body));
  const followUp = approved.body.deploy_id;
  const seen = await events.collect(ended(followUp));
  events.close();
  const approval = seen.find((e) => e.event === 'APPROVAL_RECORDED');
  assert.equal(JSON.parse(approval!.data).event.by, NAMES.admin);
  assert.equal(seen.at(-1)!.event, 'DEPLOY_SUCCEEDED');
  const again = await call('POST', `/api/deploys/${id}/reject`, TOKENS.admin);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'E_WRONG_STATE');
});

test('CLI and server on one state: each gets E_LOCK_HELD from the other, and the SSE stream shows the CLI', async () => {
  const holder = await holdLock(join(project.stateDir, 'locks.db'));
  const refused = await call('POST', '/api/deploys', TOKENS.deployer, deployBody('v2', '2.0.0'));
  await holder.kill();
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'E_LOCK_HELD');

  const events = await stream('?environment=production');
  // a version that never gets healthy: the server holds production until it gives up (8 s)
  const sick = await call(
    'POST',
    '/api/deploys',
    TOKENS.deployer,
    deployBody('sick', '2.1.0', 'fast-track', { healthy: false }),
  );
  assert.equal(sick.status, 202, JSON.stringify(sick.body));
  const cliWhileHeld = await project.deploy(
    writeSampleChangeset(project.dir, 'v3', { version: '3.0.0' }),
    'fast-track',
  );
  assert.equal(cliWhileHeld.code, 1);
  assert.match(cliWhileHeld.stderr, /E_LOCK_HELD/);
  const failed = await events.collect(ended(sick.body.deploy_id));
  assert.equal(failed.at(-1)!.event, 'DEPLOY_FAILED');

  const cli = await project.cli(
    [
      'deploy',
      '-c',
      writeSampleChangeset(project.dir, 'v4', { version: '4.0.0' }),
      '--env',
      'production',
      '--strategy',
      'fast-track',
      '--output',
      'json',
    ],
    { CUTOVER_ACTOR: 'cli-user' },
  );
  assert.equal(cli.code, 0, cli.stderr);
  const cliId = resultOf(cli).deploy_id;
  const cliEvents = await events.collect(ended(cliId));
  events.close();
  const request = cliEvents.find(
    (e) => e.event === 'DEPLOY_REQUESTED' && JSON.parse(e.data).deploy_id === cliId,
  );
  assert.equal(JSON.parse(request!.data).event.requested_by, 'cli-user');
});

test('Last-Event-ID resumes from the journal, filtered by deploy; promote/abort/rollback answer over HTTP', async () => {
  const list = await call('GET', '/api/deploys?limit=1', TOKENS.viewer);
  const last = list.body.deploys[0].deploy_id;
  const rows = (await call('GET', `/api/deploys/${last}/log`, TOKENS.viewer)).body.rows;
  const resumed = await stream(`?deploy=${last}`, { 'last-event-id': String(rows[1].id) });
  const replay = await resumed.collect(ended(last));
  resumed.close();
  assert.deepEqual(
    replay.filter((e) => e.id !== undefined).map((e) => Number(e.id)),
    rows.slice(2).map((r: { id: number }) => r.id),
  );
  const promote = await call('POST', `/api/deploys/${last}/promote`, TOKENS.deployer);
  assert.equal(promote.status, 409);
  assert.equal(promote.body.code, 'E_WRONG_STATE');
  assert.equal(
    (await call('POST', `/api/deploys/${last}/abort`, TOKENS.deployer)).body.code,
    'E_WRONG_STATE',
  );
  const rollback = await call('POST', `/api/deploys/${last}/rollback`, TOKENS.deployer, { reason: 'drill' });
  assert.equal(rollback.status, 200, JSON.stringify(rollback.body));
  assert.equal(rollback.body.deploy_result.rollback.status, 'success');
  const log = (await call('GET', `/api/deploys/${last}/log`, TOKENS.viewer)).body.rows;
  const asked = log.find((r: { event: { type: string } }) => r.event.type === 'ROLLBACK_REQUESTED');
  assert.equal(asked.event.by, NAMES.deployer);
});

test('submit, plan and flags over HTTP; SIGTERM stops the server cleanly, no token in its output', async () => {
  const submitted = await call('POST', '/api/submit', TOKENS.deployer, {
    changeset: writeSampleChangeset(project.dir, 'q1', { version: '5.0.0' }),
    environment: 'production',
  });
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  assert.deepEqual(submitted.body.queued.window.changesets, ['q1']);
  const plan = await call('POST', '/api/plan', TOKENS.deployer, deployBody('p1', '6.0.0'));
  assert.equal(plan.status, 200, JSON.stringify(plan.body));
  assert.equal(plan.body.plan.would_start, true);
  const set = await call('PUT', '/api/flags/ff-shop', TOKENS.admin, {
    environment: 'staging',
    state: 'on',
    percentage: 5,
  });
  assert.deepEqual(set.body, { name: 'ff-shop', environment: 'staging', state: 'on', percentage: 5 });
  const { code, stderr } = await project.serve.stop('SIGTERM');
  assert.equal(code, 0, stderr);
  assert.match(stderr, /cutover serve: stopped/);
  for (const token of Object.values(TOKENS)) assert.ok(!stderr.includes(token));
  assert.equal((await project.cli(['audit', 'verify'])).code, 0);
});
