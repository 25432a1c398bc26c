import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CutoverError } from '../../core/errors.js';
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
 *   the state dir can still audit it. A missing file reads as empty. A WAL file in a read-only
 *   directory cannot be opened in place when its `-shm` index is absent (SQLite must create it);
 *   then, if no write-ahead log holds changes, the file itself is complete and is read as an
 *   in-memory copy. A file whose tables were dropped is read the same way, tables added.
 *
 * Any failure is one `E_STATE_DIR` naming the file and the reason.
 */
export function openStateDatabase(path: string, schema: string, access: StateAccess): Database.Database {
  return access === 'write' ? openForWriting(path, schema) : openForReading(path, schema);
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

function openForReading(path: string, schema: string): Database.Database {
  try {
    statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return copyOf(Buffer.alloc(0), schema);
    throw stateFileError(path, 'read', err);
  }
  const tables = [...schema.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]!);
  let failure: unknown;
  // Read-write first, as a writer would: closing it then tidies the -wal and -shm files away,
  // where a read-only connection would leave them behind.
  for (const readonly of [false, true]) {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      if (hasTables(db, tables)) return db;
      db.close();
      failure = undefined;
      break;
    } catch (err) {
      db?.close();
      failure = err;
    }
  }
  return walSize(path) > 0 ? copyWithLog(path, schema, failure) : copyOfFile(path, schema);
}

/** With no changes in a write-ahead log, the file itself holds every committed row. */
function copyOfFile(path: string, schema: string): Database.Database {
  try {
    return copyOf(readFileSync(path), schema);
  } catch (err) {
    throw stateFileError(path, 'read', err);
  }
}

/** Through a read-only connection, which can only open where SQLite may use the `-shm` index. */
function copyWithLog(path: string, schema: string, failure: unknown): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return copyOf(db.serialize(), schema);
  } catch (err) {
    throw new CutoverError(
      'E_STATE_DIR',
      `cannot read ${path}: its write-ahead log ${path}-wal holds changes, and SQLite cannot read them here without writing ${dirname(path)} (open it once with write access)`,
      { path },
      failure ?? err,
    );
  } finally {
    db?.close();
  }
}

function hasTables(db: Database.Database, tables: string[]): boolean {
  const present = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => r.name),
  );
  return tables.every((t) => present.has(t));
}

/**
 * An in-memory database from a file's bytes, with `schema` run on it. Bytes 18 and 19 of the
 * header are 2 in a WAL database; a copy in memory has no log, so SQLite only opens it once they
 * say 1 (rollback journal).
 */
function copyOf(image: Buffer, schema: string): Database.Database {
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
  const db = image.length === 0 ? new Database(':memory:') : new Database(image);
  db.exec(schema);
  return db;
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
