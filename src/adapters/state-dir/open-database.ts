import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { readDatabaseSnapshot } from './read-snapshot.js';
import { ensureStateDir, stateFileError, type StateAccess } from './state-dir-error.js';

export type { StateAccess } from './state-dir-error.js';

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens one of the state dir's SQLite files.
 *
 * - `write` creates the directory and the file (WAL, synchronous FULL, `schema`), and checks that
 *   both can really be written: SQLite opens a file it may not write read-only without a word,
 *   and the first append would then fail in the middle of a deploy.
 * - `read` never creates, migrates or changes anything, so that someone with read-only access to
 *   the state dir can still audit it, and reading leaves every byte and time as it was: the
 *   database is an in-memory snapshot of the file (see readDatabaseSnapshot), never a connection
 *   to it, since SQLite's own connections create, checkpoint and delete `-wal` and `-shm` files.
 *
 * Any failure is one `E_STATE_DIR` naming the file and the reason.
 */
export function openStateDatabase(path: string, schema: string, access: StateAccess): Database.Database {
  return access === 'write' ? openForWriting(path, schema) : readDatabaseSnapshot(path, schema);
}

function openForWriting(path: string, schema: string): Database.Database {
  ensureStateDir(dirname(path));
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec(schema);
    accessSync(path, constants.R_OK | constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return db;
  } catch (err) {
    db?.close();
    throw stateFileError(path, 'write', err);
  }
}
