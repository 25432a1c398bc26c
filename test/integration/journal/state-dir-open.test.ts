import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import { openSqliteQueue } from '../../../src/adapters/queue/sqlite-queue.js';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { happyPath } from '../../support/events.js';
import { makeTempDir } from '../../support/tmp.js';

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
  const reader = openSqliteJournal(path, { access: 'read' });
  assert.equal((await reader.head()).rows, 4);
  await reader.close();
  await writer.close();
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
