import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { copyStateDir, rehashJournal, runSql, truncateJournal } from '../support/journal-tamper.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

// No signing key here: what the state dir alone can tell, and the head kept elsewhere.
let project: Awaited<ReturnType<typeof makeProject>>;
let firstHead: string;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const one = await project.deploy(
    writeSampleChangeset(project.dir, 'one', { version: '1.0.0' }),
    'fast-track',
  );
  assert.equal(one.code, 0, one.stderr);
  firstHead = (await project.cli(['audit', 'head'])).stdout.trim();
  const two = await project.deploy(
    writeSampleChangeset(project.dir, 'two', { version: '1.1.0' }),
    'fast-track',
  );
  assert.equal(two.code, 0, two.stderr);
});
after(() => project.dispose());

/** A copy of the state dir for one attack, so the attacks do not add up. */
const copyState = (): string => copyStateDir(project.stateDir, project.dir);

const verify = (stateDir: string, ...extra: string[]) =>
  project.cli(['--state-dir', stateDir, 'audit', 'verify', ...extra]);

async function assertTampered(stateDir: string, problem: RegExp): Promise<void> {
  const run = await verify(stateDir);
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stdout, problem);
  assert.equal(run.stdout.split('\n').length, 2, 'one line');
}

test("a fresh project's first deploy leaves its journal anchored: audit verify is OK at once", async () => {
  const fresh = await makeProject();
  try {
    assert.equal((await fresh.cli(['flags', 'create', 'ff-shop'])).code, 0);
    const deploy = await fresh.deploy(
      writeSampleChangeset(fresh.dir, 'one', { version: '1.0.0' }),
      'fast-track',
    );
    assert.equal(deploy.code, 0, deploy.stderr);
    const run = await fresh.cli(['audit', 'verify']);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^journal OK: 12 rows, hash chain intact/);
  } finally {
    await fresh.dispose();
  }
});

test('audit head prints N:HASH of the last row; --expect-head holds while the chain grows', async () => {
  const db = new Database(join(project.stateDir, 'journal.db'), { readonly: true });
  const last = db.prepare('SELECT id, hash FROM events ORDER BY id DESC LIMIT 1').get() as any;
  db.close();
  const head = await project.cli(['audit', 'head']);
  assert.equal(head.code, 0, head.stderr);
  assert.equal(head.stdout, `${last.id}:${last.hash}\n`);
  const json = await project.cli(['audit', 'head', '--output', 'json']);
  assert.deepEqual(JSON.parse(json.stdout), { rows: last.id, hash: last.hash });
  assert.match(firstHead, /^12:[0-9a-f]{64}$/);

  const grown = await verify(project.stateDir, '--expect-head', firstHead);
  assert.equal(grown.code, 0, grown.stdout);
  assert.match(
    grown.stdout,
    new RegExp(`^journal OK: ${last.id} rows, hash chain intact; row 12 is the expected head\n$`),
  );
  const other = await verify(project.stateDir, '--expect-head', `12:${'e'.repeat(64)}`);
  assert.equal(other.code, 1);
  assert.match(
    other.stdout,
    /^journal TAMPERED: row 12 has hash [0-9a-f]{64}, not e{64} as the expected head \(--expect-head\) records: the chain up to it was rewritten\n$/,
  );
  const beyond = await verify(project.stateDir, '--expect-head', `99:${'e'.repeat(64)}`);
  assert.equal(beyond.code, 1);
  assert.match(
    beyond.stdout,
    /^journal TAMPERED: the journal has \d+ rows but the expected head \(--expect-head\) records 99: rows \d+ to 99 were removed\n$/,
  );
  const malformed = await verify(project.stateDir, '--expect-head', '12:abc');
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /^cutover: E_USAGE: --expect-head: "12:abc" is not N:HASH \(.*\)\n$/);
});

test('deleting the newest rows and rewriting chain_head to match is TAMPERED', async () => {
  const dir = copyState();
  truncateJournal(dir, 12);
  await assertTampered(
    dir,
    /^journal TAMPERED: the journal has 12 rows but the high-water mark in journal-anchor\.db \(.*\) records 24: rows 13 to 24 were removed\n$/,
  );
});

test('the same cut with journal-anchor.db deleted is NOT ANCHORED, until audit checkpoint records the head', async () => {
  const dir = copyState();
  truncateJournal(dir, 12);
  rmSync(join(dir, 'journal-anchor.db'));
  const run = await verify(dir);
  assert.equal(run.code, 1, run.stdout);
  assert.equal(
    run.stdout,
    'journal NOT ANCHORED: journal-anchor.db holds no high-water mark of the 12 rows: deleted, or the journal was written before cutover kept one (cutover audit checkpoint records the current head)\n',
  );
  // For a journal written before cutover kept the mark: verify, then record its head.
  const anchor = await project.cli(['--state-dir', dir, 'audit', 'checkpoint']);
  assert.equal(anchor.code, 0, anchor.stderr);
  assert.equal(anchor.stdout, `high-water mark recorded: ${firstHead}\n`);
  assert.equal(
    (await project.cli(['--state-dir', dir, 'audit', 'checkpoint'])).stdout,
    `already recorded: ${firstHead}\n`,
  );
  const after = await verify(dir);
  assert.equal(after.code, 0, after.stdout);
  assert.match(after.stdout, /^journal OK: 12 rows, hash chain intact; no anchor outside the state dir/);
});

test('a chain rehashed with the project’s own function is TAMPERED: the high-water mark, or the head kept elsewhere, disagrees', async () => {
  const dir = copyState();
  const { head: prev } = rehashJournal(dir, (event) => {
    if (event.type === 'DEPLOY_REQUESTED') event.requested_by = 'someone-else';
  });
  await assertTampered(
    dir,
    /^journal TAMPERED: row 24 has hash [0-9a-f]{64}, not [0-9a-f]{64} as the high-water mark in journal-anchor\.db/,
  );
  // Whoever also rewrites journal-anchor.db is caught only by a head kept outside the state dir.
  runSql(join(dir, 'journal-anchor.db'), `UPDATE high_water SET hash = '${prev}'`);
  assert.equal((await verify(dir)).code, 0);
  const anchored = await verify(dir, '--expect-head', firstHead);
  assert.equal(anchored.code, 1);
  assert.match(anchored.stdout, /^journal TAMPERED: row 12 has hash .* as the expected head/);
});

test('an empty, dropped or deleted journal is TAMPERED when the state dir knows of deploys', async () => {
  const deleted = copyState();
  rmSync(join(deleted, 'journal.db'));
  await assertTampered(
    deleted,
    /^journal TAMPERED: the journal is empty but journal-anchor\.db recorded 24 rows at .*, runtime\/state\.json names 1 deployed environment \(production\), registry\/ holds 2 pushed images, builds\/ holds 2 built images\n$/,
  );
  const everything = copyState();
  rmSync(join(everything, 'journal.db'));
  rmSync(join(everything, 'journal-anchor.db'));
  await assertTampered(
    everything,
    /^journal TAMPERED: the journal is empty but runtime\/state\.json names 1 deployed environment/,
  );
  const emptied = copyState();
  writeFileSync(join(emptied, 'journal.db'), '');
  rmSync(join(emptied, 'journal-anchor.db'));
  await assertTampered(emptied, /^journal TAMPERED: the journal is empty but runtime\/state\.json/);
  const dropped = copyState();
  runSql(join(dropped, 'journal.db'), 'DROP TABLE events', 'DROP TABLE chain_head');
  rmSync(join(dropped, 'journal-anchor.db'));
  await assertTampered(dropped, /^journal TAMPERED: the journal is empty but runtime\/state\.json/);
  // A state dir where nothing was ever deployed is simply empty.
  const fresh = join(project.dir, 'fresh');
  const run = await verify(fresh);
  assert.equal(run.code, 0, run.stdout);
  assert.equal(run.stdout, 'journal OK: 0 rows, hash chain intact\n');
});
