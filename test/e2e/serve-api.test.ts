import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resultOf } from '../support/cli.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { endOf, makeServedProject, NAMES, servedClient, TOKENS } from '../support/serve-project.js';
import { openSse } from '../support/sse-client.js';

let project: Awaited<ReturnType<typeof makeServedProject>>;
before(async () => {
  project = await makeServedProject();
});
after(async () => {
  await project.serve.stop();
  await project.dispose();
});

const call: ReturnType<typeof servedClient>['call'] = (...args) => servedClient(project).call(...args);
const ended = endOf;

test('no token or an unknown one is 401, a role below the verb 403; the OpenAPI document needs none', async () => {
  const none = await call('GET', '/api/deploys');
  assert.equal(none.status, 401);
  assert.equal(none.body.code, 'E_UNAUTHORIZED');
  assert.equal((await call('GET', '/api/deploys', 'not-a-token')).status, 401);
  const viewerDeploys = await call('POST', '/api/deploys', TOKENS.viewer, {
    changesets: ['x.yaml'],
    strategy: 'fast-track',
    environment: 'production',
  });
  assert.equal(viewerDeploys.status, 403);
  assert.equal(viewerDeploys.body.code, 'E_FORBIDDEN');
  assert.match(viewerDeploys.body.message, /needs the deployer role or above; vic is viewer/);
  const setFlag = { environment: 'production', state: 'on' };
  assert.equal((await call('PUT', '/api/flags/ff-shop', TOKENS.deployer, setFlag)).status, 403);
  const doc = await call('GET', '/api/openapi.json');
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, '3.1.0');
  const post = doc.body.paths['/api/deploys'].post;
  assert.deepEqual(post.requestBody.content['application/json'].schema.required, [
    'changesets',
    'strategy',
    'environment',
  ]);
  assert.ok(doc.body.paths['/api/events'].get);
});

test('bad bodies and queries are 400 naming the field', async () => {
  const empty = await call('POST', '/api/deploys', TOKENS.deployer, {});
  assert.equal(empty.status, 400);
  assert.equal(empty.body.code, 'E_INVALID_INPUT');
  assert.ok(
    empty.body.errors.some((e: string) => /changesets: is required/.test(e)),
    JSON.stringify(empty.body),
  );
  const badStrategy = await call('POST', '/api/deploys', TOKENS.deployer, {
    changesets: ['x.yaml'],
    strategy: { mode: 'canary', canary: { steps: [500] } },
    environment: 'production',
  });
  assert.equal(badStrategy.status, 400);
  assert.match(badStrategy.body.message, /strategy.*canary\.steps\[0\]/);
  const notJson = await call('POST', '/api/deploys', TOKENS.deployer, '{"changesets": [');
  assert.deepEqual(notJson.body, { code: 'E_INVALID_INPUT', message: 'body: not valid JSON' });
  const limit = await call('GET', '/api/deploys?limit=0', TOKENS.viewer);
  assert.equal(limit.status, 400);
  assert.match(limit.body.message, /query: limit/);
  const missing = await call('GET', '/api/deploys/0000dead', TOKENS.viewer);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'E_NOT_FOUND');
});

test('a deploy started over HTTP is followed over SSE to its result; every read endpoint shows it', async () => {
  const events = await openSse(`${project.serve.url}/api/events`, {
    authorization: `Bearer ${TOKENS.viewer}`,
  });
  assert.equal(events.status, 200);
  assert.match(events.contentType ?? '', /text\/event-stream/);
  assert.equal((await events.next())?.event, 'ready');
  const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
  const started = await call('POST', '/api/deploys', TOKENS.deployer, {
    changesets: [v1],
    strategy: 'fast-track',
    environment: 'production',
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const id = started.body.deploy_id as string;
  // the CLI follows the same deploy from its journal while the server runs it
  const watching = project.cli(['status', id.slice(0, 12), '--watch', '--output', 'json']);
  const seen = await events.collect(ended(id));
  const watched = await watching;
  assert.equal(watched.code, 0, watched.stderr);
  assert.equal(resultOf(watched).state, 'success');
  assert.match(watched.stderr, /DEPLOY_REQUESTED[^\n]*\n[\s\S]*DEPLOY_SUCCEEDED/);
  events.close();
  assert.equal(seen[0]!.event, 'DEPLOY_REQUESTED');
  assert.equal(JSON.parse(seen[0]!.data).event.requested_by, NAMES.deployer, 'the journal says who asked');
  assert.equal(seen.at(-1)!.event, 'DEPLOY_SUCCEEDED');
  const ids = seen.map((e) => Number(e.id));
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
    'ids are journal positions, in order',
  );

  const status = await call('GET', `/api/deploys/${id}`, TOKENS.viewer);
  assert.equal(status.body.deploy_result.status, 'success');
  assert.deepEqual(status.body.deploy_result.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  const list = await call('GET', '/api/deploys?environment=production&limit=5', TOKENS.viewer);
  assert.equal(list.body.deploys[0].deploy_id, id);
  assert.equal(list.body.deploys[0].state, 'success');
  const log = await call('GET', `/api/deploys/${id}/log`, TOKENS.viewer);
  assert.deepEqual(
    log.body.rows.map((r: { id: number }) => r.id),
    ids,
  );
  const timeline = await call('GET', `/api/deploys/${id}/timeline`, TOKENS.viewer);
  const steps = timeline.body.steps.filter((s: { status: string }) => s.status !== 'event');
  assert.deepEqual(steps.map((s: { step: string }) => s.step).slice(0, 4), [
    'PREFLIGHT',
    'BUILD',
    'PUSH',
    'APPLY',
  ]);
  assert.ok(
    steps.every((s: { status: string; duration_ms: number }) => s.status === 'success' && s.duration_ms >= 0),
  );
  const traffic = await call('GET', '/api/traffic', TOKENS.viewer);
  const production = traffic.body.environments.find(
    (e: { environment: string }) => e.environment === 'production',
  );
  assert.deepEqual(
    production.versions.map((v: { tag: string; weight: number }) => [v.tag, v.weight]),
    [[status.body.deploy_result.version, 100]],
  );
  const audit = await call('GET', '/api/audit', TOKENS.viewer);
  assert.equal(audit.body.ok, true, JSON.stringify(audit.body));
  assert.equal((await call('GET', '/api/lock', TOKENS.viewer)).body.locks.length, 0);
  const flags = await call('GET', '/api/flags/ff-shop', TOKENS.viewer);
  assert.deepEqual(flags.body.environments.production, { state: 'on', percentage: 100 });
  const analysis = await call('GET', `/api/deploys/${id}/analysis`, TOKENS.viewer);
  assert.deepEqual(analysis.body.observations, []);
});
