import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { classifyJournalError } from '../../../src/adapters/journal/journal-errors.js';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { CutoverError } from '../../../src/core/errors.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

test('another connection holding BEGIN EXCLUSIVE: append fails E_JOURNAL_UNAVAILABLE naming the file, writes nothing', async () => {
  const path = join(tmp.dir, 'busy.db');
  const journal = openSqliteJournal(path, { busyTimeoutMs: 50 });
  await journal.append('d1', 0, new Date(), { type: 'PREFLIGHT_START' });
  const holder = new Database(path);
  holder.exec('BEGIN EXCLUSIVE');
  try {
    await assert.rejects(journal.append('d1', 1, new Date(), { type: 'DEPLOY_SUCCEEDED' }), {
      code: 'E_JOURNAL_UNAVAILABLE',
      message: `journal ${path} is unavailable: database is locked (SQLITE_BUSY)`,
    });
    // Readers are not blocked by a writer in WAL mode: status, log and recovery still read.
    assert.equal((await journal.rows('d1')).length, 1);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  const row = await journal.append('d1', 1, new Date(), { type: 'DEPLOY_SUCCEEDED' });
  assert.equal(row.seq, 2);
  assert.deepEqual(await journal.verify(), { ok: true, rows: 2 });
  await journal.close();
});

test('I/O errors, a full disk and a read-only file are unavailable too; other errors pass through', () => {
  for (const code of ['SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_READONLY_DBMOVED', 'SQLITE_LOCKED']) {
    const err = classifyJournalError(new Database.SqliteError('disk trouble', code), '/s/journal.db');
    assert.ok(err instanceof CutoverError, code);
    assert.equal(err.code, 'E_JOURNAL_UNAVAILABLE');
    assert.equal(err.message, `journal /s/journal.db is unavailable: disk trouble (${code})`);
  }
  const constraint = new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE');
  assert.equal(classifyJournalError(constraint, '/s/journal.db'), constraint);
  const conflict = new CutoverError('E_JOURNAL_CONFLICT', 'moved on');
  assert.equal(classifyJournalError(conflict, '/s/journal.db'), conflict);
});
