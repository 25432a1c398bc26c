import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { resultOf, type CliRun } from '../support/cli.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { waitUntil } from '../support/wait-until.js';
import { signatureVerifies, startReceiver } from '../support/webhook-receiver.js';

const server = postgresPerFile();
const SECRET = 'whsec-pg-e2e-93b1f0c7d2a84e65';
// Never checked by the test cluster (it trusts loopback): only looked for in what cutover prints.
const PASSWORD = 'pw-hook-never-printed-51c2';

describe('webhooks with state: { type: postgres }', { skip: skipUnlessPostgres() }, () => {
  let project: Awaited<ReturnType<typeof makeProject>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let url: string;
  const runs: CliRun[] = [];
  const cli = async (args: string[]) => {
    const run = await project.cli(args, { TEST_DATABASE_URL: url, HOOK_SECRET: SECRET });
    runs.push(run);
    return run;
  };

  before(async () => {
    url = (await (await server()).createDatabase()).replace('cutover@', `cutover:${PASSWORD}@`);
    project = await makeProject();
    receiver = await startReceiver((i) => (i === 0 ? 503 : 200));
    const { production, staging } = project.ports;
    const config = {
      state: { type: 'postgres', url_env: 'TEST_DATABASE_URL' },
      environments: {
        production: { target: { type: 'local', port: production } },
        staging: { target: { type: 'local', port: staging } },
      },
      baseline: { window: '10s', min_samples: 5 },
      notify: [
        { url: receiver.url, events: ['AWAITING_APPROVAL', 'DEPLOY_FAILED'], secret_env: 'HOOK_SECRET' },
      ],
    };
    writeFileSync(join(project.dir, 'cutover.yaml'), stringify(config));
    assert.equal((await cli(['flags', 'create', 'ff-shop'])).code, 0);
  });
  after(async () => {
    await receiver?.close();
    await project?.dispose();
  });

  test('a manual deploy waiting for approval is announced once, after a 503, and recorded in PostgreSQL', async () => {
    const changeset = writeSampleChangeset(project.dir, 'm1', { version: '1.0.0' });
    const deploy = await cli([
      'deploy',
      '-c',
      changeset,
      '--env',
      'production',
      '--strategy',
      'manual',
      '--output',
      'json',
    ]);
    assert.equal(deploy.code, 0, deploy.stderr);
    const result = resultOf(deploy);
    assert.equal(result.state, 'awaiting_approval');

    const delivered = async () => {
      const run = await cli(['notifications', '--deploy', result.deploy_id, '--output', 'json']);
      return JSON.parse(run.stdout).notifications.deliveries[0]?.outcome === 'delivered';
    };
    await waitUntil(delivered, 'the AWAITING_APPROVAL delivery to be recorded');
    assert.deepEqual(
      receiver.received.map((h) => [h.headers['x-cutover-event'], h.answered]),
      [
        ['AWAITING_APPROVAL', 503],
        ['AWAITING_APPROVAL', 200],
      ],
    );
    const [first, second] = receiver.received;
    assert.equal(first!.headers['x-cutover-delivery'], second!.headers['x-cutover-delivery']);
    assert.ok(signatureVerifies(SECRET, second!));
    assert.match(second!.json.text, /to production AWAITS APPROVAL, live on staging$/);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT attempt, status, outcome FROM cutover.notify_attempts WHERE deploy_id = $1 ORDER BY attempt',
        [result.deploy_id],
      );
      assert.deepEqual(rows, [
        { attempt: 1, status: 503, outcome: 'retry' },
        { attempt: 2, status: 200, outcome: 'delivered' },
      ]);
      await waitUntil(
        async () => (await db.query('SELECT holder FROM cutover.notify_targets')).rows[0].holder === null,
        'the flush to release its lease',
      );
      for (const table of ['events', 'notify_attempts', 'notify_targets']) {
        const { rows: found } = await db.query(
          `SELECT count(*)::int AS n FROM cutover.${table} t WHERE strpos(t::text, $1) > 0`,
          [SECRET],
        );
        assert.equal(found[0].n, 0, `the key is in no row of cutover.${table}`);
      }
    } finally {
      await db.end();
    }
    for (const run of runs) {
      const printed = `${run.stdout}${run.stderr}`;
      assert.ok(!printed.includes(SECRET) && !printed.includes(PASSWORD), 'no key nor password printed');
    }
  });
});
