import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const server = postgresPerFile();
let project: Awaited<ReturnType<typeof makeProject>> | undefined;
after(() => project?.dispose());

test(
  'state copy moves a SQLite history to PostgreSQL hash for hash: audit verify passes on the copy; once only',
  { skip: skipUnlessPostgres() },
  async () => {
    const url = await (await server()).createDatabase();
    project = await makeProject();
    const p = project;
    assert.equal((await p.cli(['flags', 'create', 'ff-shop'])).code, 0);
    assert.equal((await p.cli(['flags', 'create', 'ff-later'])).code, 0);
    assert.equal(
      (await p.cli(['flags', 'set', 'ff-later', '--state', 'on', '--env', 'staging', '--percentage', '30']))
        .code,
      0,
    );
    for (const version of ['1.0.0', '2.0.0']) {
      const changeset = writeSampleChangeset(p.dir, version, { version });
      assert.equal((await p.deploy(changeset, 'fast-track')).code, 0);
    }
    const before = await p.cli(['audit', 'head', '--output', 'json']);
    assert.equal(before.code, 0, before.stderr);
    const flagsBefore = await p.cli(['flags', 'list', '--output', 'json']);
    assert.equal(flagsBefore.code, 0, flagsBefore.stderr);

    // a changeset queued in the state dir would be lost: refused, naming it, until it is shipped
    const queuedDir = join(p.dir, 'queued-state');
    const changeset = writeSampleChangeset(p.dir, 'queued', { version: '3.0.0' });
    const submit = await p.cli(['--state-dir', queuedDir, 'submit', changeset, '--env', 'production']);
    assert.equal(submit.code, 0, submit.stderr);

    const file = join(p.dir, 'cutover.yaml');
    const config = parse(readFileSync(file, 'utf8'));
    writeFileSync(file, stringify({ ...config, state: { type: 'postgres', url_env: 'TEST_DATABASE_URL' } }));
    const env = { TEST_DATABASE_URL: url };
    const queued = await p.cli(['state', 'copy', '--from', `sqlite:${queuedDir}`, '--to', 'postgres'], env);
    assert.equal(queued.code, 2);
    assert.equal(
      queued.stderr,
      `cutover: E_INVALID_INPUT: --from sqlite:${queuedDir}: 1 changesets are queued there and not shipped; ship them (cutover deploy --queued) before moving the state\n`,
    );
    const copy = await p.cli(['state', 'copy', '--from', `sqlite:${p.stateDir}`, '--to', 'postgres'], env);
    assert.equal(copy.code, 0, copy.stderr);
    assert.match(
      copy.stdout,
      /^copied \d+ journal rows \(2 deploys\) and 2 flags from \S+ to PostgreSQL \(\$TEST_DATABASE_URL\); head [0-9a-f]{64}\n$/,
    );
    const flagsAfter = await p.cli(['flags', 'list', '--output', 'json'], env);
    assert.deepEqual(
      JSON.parse(flagsAfter.stdout),
      JSON.parse(flagsBefore.stdout),
      'the same flags, in the same states',
    );

    const verify = await p.cli(['audit', 'verify'], env);
    assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
    const after = await p.cli(['audit', 'head', '--output', 'json'], env);
    assert.deepEqual(JSON.parse(after.stdout), JSON.parse(before.stdout), 'the same chain, the same head');
    const listed = JSON.parse((await p.cli(['status', '--output', 'json'], env)).stdout);
    assert.deepEqual(
      listed.map((d: { last_type: string }) => d.last_type),
      ['DEPLOY_SUCCEEDED', 'DEPLOY_SUCCEEDED'],
    );

    const again = await p.cli(['state', 'copy', '--from', `sqlite:${p.stateDir}`, '--to', 'postgres'], env);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      /^cutover: E_INVALID_INPUT: --to postgres: PostgreSQL \(\$TEST_DATABASE_URL\) already holds \d+ journal rows; state copy only fills an empty journal\n$/,
    );
    const bad = await p.cli(['state', 'copy', '--from', p.stateDir, '--to', 'postgres'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cutover: E_USAGE: --from .*: must be sqlite:<state dir>\n$/);
  },
);
