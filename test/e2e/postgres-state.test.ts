import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { freePort } from '../support/ports.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const server = postgresPerFile();
// The test cluster trusts loopback, so this password is never checked: it is only there to be
// looked for in everything cutover prints and writes.
const PASSWORD = 'pw-never-printed-7f3a';

/** Every file under `dir`, read as text. */
function filesUnder(dir: string): Array<[string, string]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => [path, readFileSync(path).toString('latin1')]);
}

describe('cutover with state: { type: postgres }', { skip: skipUnlessPostgres() }, () => {
  let project: Awaited<ReturnType<typeof makeProject>>;
  let url: string;
  const outputs: string[] = [];
  const cli = async (args: string[], env: NodeJS.ProcessEnv = { TEST_DATABASE_URL: url }) => {
    const run = await project.cli(args, env);
    outputs.push(run.stdout, run.stderr);
    return run;
  };

  before(async () => {
    url = (await (await server()).createDatabase()).replace('cutover@', `cutover:${PASSWORD}@`);
    project = await makeProject({ state: { type: 'postgres', url_env: 'TEST_DATABASE_URL' } });
  });
  after(() => project?.dispose());

  test('a reading verb on a database without the schema says to migrate; state migrate creates it, once', async () => {
    const status = await cli(['status']);
    assert.equal(status.code, 2);
    assert.equal(
      status.stderr,
      'cutover: E_STATE_SCHEMA: PostgreSQL ($TEST_DATABASE_URL) has no cutover schema yet: cutover state migrate creates it\n',
    );
    const first = await cli(['state', 'migrate']);
    assert.equal(first.stdout, 'PostgreSQL ($TEST_DATABASE_URL): schema migrated from version 0 to 1\n');
    const again = await cli(['state', 'migrate']);
    assert.equal(again.stdout, 'PostgreSQL ($TEST_DATABASE_URL): schema already at version 1\n');
  });

  test('a deploy journals, locks and queues in PostgreSQL; status, log, lock status and audit verify read it there', async () => {
    assert.equal((await cli(['flags', 'create', 'ff-shop'])).code, 0);
    const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
    const deploy = await cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
    assert.equal(deploy.code, 0, deploy.stderr);
    const [listed] = JSON.parse((await cli(['status', '--output', 'json'])).stdout);
    assert.equal(listed.last_type, 'DEPLOY_SUCCEEDED');
    assert.match((await cli(['log', listed.deploy_id])).stdout, /DEPLOY_SUCCEEDED/);
    assert.match((await cli(['audit', 'verify'])).stdout, /^journal OK: \d+ rows, hash chain intact/);
    assert.equal((await cli(['lock', 'status'])).stdout, 'no environment is locked\n');
    const v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0' });
    assert.equal((await cli(['submit', v2, '--env', 'production', '--strategy', 'fast-track'])).code, 0);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
      assert.ok((await count('SELECT count(*) AS n FROM cutover.events')) > 5);
      assert.equal(await count('SELECT count(*) AS n FROM cutover.queued_changesets'), 1);
      assert.equal(await count('SELECT max(token) AS n FROM cutover.fences'), 1, 'one lease was taken');
      assert.equal(
        await count(`SELECT count(*) AS n FROM cutover.events WHERE data LIKE '%${PASSWORD}%'`),
        0,
      );
    } finally {
      await db.end();
    }
    for (const file of ['journal.db', 'locks.db', 'queue.db'])
      assert.equal(existsSync(join(project.stateDir, file)), false, `${file} is not used`);
  });

  test('the variable unset is exit 2 naming it; an unreachable server, or one refusing the sslmode asked, is unavailable', async () => {
    const unset = await cli(['state', 'migrate'], { TEST_DATABASE_URL: '' });
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /^cutover: E_USAGE: state\.url_env: TEST_DATABASE_URL is not set: /);
    const garbled = await cli(['state', 'migrate'], {
      TEST_DATABASE_URL: `postgres://cutover:${PASSWORD}@[::1/db`,
    });
    assert.equal(garbled.code, 2);
    assert.match(
      garbled.stderr,
      /^cutover: E_USAGE: state\.url_env: TEST_DATABASE_URL does not hold a valid URL /,
    );
    // a libpq keyword string would reach pg as a database name, which its errors quote
    const keywords = await cli(['state', 'migrate'], {
      TEST_DATABASE_URL: `host=127.0.0.1 password=${PASSWORD} dbname=cutover`,
    });
    assert.equal(keywords.code, 2);
    assert.match(
      keywords.stderr,
      /^cutover: E_USAGE: state\.url_env: TEST_DATABASE_URL does not hold a valid URL /,
    );
    const away = `postgres://cutover:${PASSWORD}@127.0.0.1:${await freePort()}/cutover`;
    const refused = await cli(['state', 'migrate', '--verbose'], { TEST_DATABASE_URL: away });
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^cutover: E_STATE_UNAVAILABLE: PostgreSQL \(\$TEST_DATABASE_URL\) is unavailable: /,
    );
    // the test server has no TLS: a URL that asks for it must not quietly connect without
    const tls = await cli(['status'], { TEST_DATABASE_URL: `${url}?sslmode=require` });
    assert.equal(tls.code, 1);
    assert.match(
      tls.stderr,
      /\ncutover: E_STATE_UNAVAILABLE: PostgreSQL \(\$TEST_DATABASE_URL\) is unavailable: The server does not support SSL connections\n$/,
    );
  });

  test('the URL, password included, is in no output and no file of the state dir', () => {
    for (const text of outputs) assert.ok(!text.includes(PASSWORD), text);
    for (const [path, text] of filesUnder(project.stateDir)) assert.ok(!text.includes(PASSWORD), path);
  });
});
