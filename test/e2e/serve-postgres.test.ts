import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resultOf } from '../support/cli.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { endOf, makeServedProject, servedClient, TOKENS } from '../support/serve-project.js';

const server = postgresPerFile();
// The test cluster trusts loopback: the password is only there to be looked for in the output.
const PASSWORD = 'pw-serve-never-printed-9c1d';

describe('cutover serve on a PostgreSQL state', { skip: skipUnlessPostgres() }, () => {
  let project: Awaited<ReturnType<typeof makeServedProject>>;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const url = (await (await server()).createDatabase()).replace('cutover@', `cutover:${PASSWORD}@`);
    env = { TEST_DATABASE_URL: url };
    project = await makeServedProject({ state: { type: 'postgres', url_env: 'TEST_DATABASE_URL' } }, env, [
      ['state', 'migrate'],
    ]);
  });
  after(async () => {
    await project?.serve.stop();
    await project?.dispose();
  });

  test("the stream shows a CLI deploy's events and resumes from the journal; the lock is shared", async () => {
    const client = servedClient(project);
    const events = await client.events();
    const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
    const cli = await project.cli(
      ['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track', '--output', 'json'],
      { CUTOVER_ACTOR: 'cli-user' },
    );
    assert.equal(cli.code, 0, cli.stderr);
    const id = resultOf(cli).deploy_id;
    const seen = await events.collect(endOf(id));
    events.close();
    const rows = seen.filter((e) => e.id !== undefined);
    assert.equal(JSON.parse(rows[0]!.data).event.requested_by, 'cli-user');
    assert.equal(rows.at(-1)!.event, 'DEPLOY_SUCCEEDED');

    const resumed = await client.events('', { 'last-event-id': rows[0]!.id! });
    const replay = await resumed.collect(endOf(id));
    resumed.close();
    assert.deepEqual(
      replay.filter((e) => e.id !== undefined).map((e) => e.id),
      rows.slice(1).map((e) => e.id),
    );

    const sick = await client.call(
      'POST',
      '/api/deploys',
      TOKENS.deployer,
      client.deployBody('sick', '2.0.0', 'fast-track', { healthy: false }),
    );
    assert.equal(sick.status, 202, JSON.stringify(sick.body));
    const held = await project.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
    assert.equal(held.code, 1, held.stderr);
    assert.match(held.stderr, /E_LOCK_HELD/);
    const status = await client.call('GET', `/api/deploys?limit=1`, TOKENS.viewer);
    assert.equal(status.body.deploys[0].deploy_id, sick.body.deploy_id);
    const { stderr } = await project.serve.stop();
    assert.ok(!stderr.includes(PASSWORD), 'the URL password never reaches the output');
  });
});
