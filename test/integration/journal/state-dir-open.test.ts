import { after, test } from 'node:test';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import { openSqliteQueue } from '../../../src/adapters/queue/sqlite-queue.js';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { openStateDatabase } from '../../../src/adapters/state-dir/open-database.js';
import { happyPath } from '../../support/events.js';
import { makeTempDir } from '../../support/tmp.js';

const require = createRequire(import.meta.url);
const tmp = makeTempDir();
after(() => tmp.cleanup());

async function journalOf(dir: string, events = 3): Promise<string> {
  const path = join(dir, 'journal.db');
  const journal = openSqliteJournal(path);
  for (const [i, e] of happyPath().slice(0, events).entries()) await journal.append('d', i, new Date(), e);
  await journal.close();
  return path;
}

test('reading a state dir that does not exist creates nothing and reads as empty', async () => {
  const dir = join(tmp.dir, 'never-made');
  const journal = openSqliteJournal(join(dir, 'journal.db'), { access: 'read' });
  assert.deepEqual(await journal.deploys(), []);
  assert.deepEqual(await journal.verify(), { ok: true, rows: 0 });
  assert.deepEqual(await journal.head(), { rows: 0, hash: '0'.repeat(64) });
  await journal.close();
  assert.deepEqual(await openSqliteLocks(join(dir, 'locks.db'), { access: 'read' }).status(), []);
  assert.equal(existsSync(dir), false);
});

test('reading never changes the file: an emptied journal, or one whose table was dropped, reads as empty', async () => {
  const dir = join(tmp.dir, 'edited');
  mkdirSync(dir);
  const path = await journalOf(dir);
  const attacker = new Database(path);
  attacker.exec('DROP TABLE events');
  attacker.close();
  const dropped = readFileSync(path);
  const journal = openSqliteJournal(path, { access: 'read' });
  assert.deepEqual(await journal.head(), { rows: 0, hash: '0'.repeat(64) });
  await journal.close();
  assert.deepEqual(readFileSync(path), dropped);
  writeFileSync(path, '');
  const empty = openSqliteJournal(path, { access: 'read' });
  assert.deepEqual(await empty.deploys(), []);
  // A read verb has no business appending: a named code, not E_INTERNAL, and not one the executor
  // retries as an unavailable journal.
  await assert.rejects(empty.append('d', 0, new Date(), happyPath()[0]!), {
    code: 'E_JOURNAL_READ_ONLY',
    message: `${path} was opened for reading only (status, log, audit verify|head): nothing is appended through it`,
  });
  await empty.close();
  assert.equal(readFileSync(path).length, 0);
  assert.deepEqual(readdirSync(dir), ['journal.db']);
});

test('a reader sees what a writer holding the file open has committed but not checkpointed', async () => {
  const dir = join(tmp.dir, 'live');
  mkdirSync(dir);
  const path = await journalOf(dir);
  const writer = openSqliteJournal(path);
  await writer.append('d', 3, new Date(), happyPath()[3]!);
  const files = readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))] as const);
  const reader = openSqliteJournal(path, { access: 'read' });
  assert.equal((await reader.head()).rows, 4);
  await reader.close();
  for (const [name, bytes] of files) assert.deepEqual(readFileSync(join(dir, name)), bytes, name);
  await writer.close();
});

test('a snapshot is always of one commit, while a writer commits, checkpoints and restarts its log', async () => {
  const path = join(tmp.dir, 'busy.db');
  const schema = `CREATE TABLE IF NOT EXISTS rows (n INTEGER PRIMARY KEY, pad TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS head (one INTEGER PRIMARY KEY, n INTEGER NOT NULL);`;
  // Each transaction adds a row and moves the head to it; every commit is checkpointed into the
  // file, and every 25th truncates the log, so reads race checkpoints and log restarts.
  const script = `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(path)});
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 1');
    db.exec(${JSON.stringify(schema)});
    const add = db.transaction((n) => {
      db.prepare('INSERT INTO rows VALUES (?, ?)').run(n, 'x'.repeat(3000));
      db.prepare('INSERT OR REPLACE INTO head VALUES (1, ?)').run(n);
    });
    for (let n = 1; n <= 400; n++) {
      add(n);
      if (n % 25 === 0) db.pragma('wal_checkpoint(TRUNCATE)');
    }
    db.close();`;
  const writer = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    writer.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  let snapshots = 0;
  while (running) {
    let db;
    try {
      db = openStateDatabase(path, schema, 'read');
    } catch (err) {
      // Refusing to read a file that kept changing is allowed; a torn read is not.
      assert.match((err as Error).message, /a writer changed it while it was read/);
      continue;
    }
    const rows = db.prepare('SELECT COUNT(*) AS n FROM rows').get() as { n: number };
    const head = db.prepare('SELECT n FROM head').get() as { n: number } | undefined;
    db.close();
    assert.equal(rows.n, head?.n ?? 0, 'a snapshot mixes two commits');
    snapshots++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(await exited, 0);
  assert.ok(snapshots > 0, 'no snapshot was read while the writer ran');
  const done = openStateDatabase(path, schema, 'read');
  assert.deepEqual(done.prepare('SELECT n FROM head').get(), { n: 400 });
  done.close();
});

test('every SQLite file of the state dir names itself and the reason when it cannot be opened', () => {
  const file = join(tmp.dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const notSqlite = join(tmp.dir, 'garbage.db');
  writeFileSync(notSqlite, 'x'.repeat(4096));
  mkdirSync(join(tmp.dir, 'is-a-dir.db'));
  const cases: Array<[() => unknown, string]> = [
    [
      () => openSqliteJournal(join(file, 'journal.db')),
      `cannot create the state dir ${file}: it exists and is not a directory`,
    ],
    [
      () => openSqliteJournal(join(file, 'journal.db'), { access: 'read' }),
      `cannot read ${file}/journal.db: ${file} is not a directory`,
    ],
    [
      () => openSqliteFlags(join(file, 'sub', 'flags.db')),
      `cannot create the state dir ${file}/sub: a part of the path is not a directory`,
    ],
    [() => openSqliteQueue(notSqlite), `cannot write ${notSqlite}: not a SQLite database`],
    [() => openSqliteLocks(notSqlite, { access: 'read' }), `cannot read ${notSqlite}: not a SQLite database`],
    [
      () => openSqliteJournal(join(tmp.dir, 'is-a-dir.db')),
      `cannot write ${tmp.dir}/is-a-dir.db: it is a directory`,
    ],
  ];
  for (const [open, message] of cases)
    assert.throws(open, (err: any) => {
      assert.equal(err.code, 'E_STATE_DIR');
      assert.equal(err.message, message);
      return true;
    });
});
