import {
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CutoverError, isCutoverError } from '../../core/errors.js';
import { stateFileError } from './state-dir-error.js';

// A write-ahead log starts with a 32-byte header; its salts change whenever the log restarts.
const WAL_HEADER_BYTES = 32;
// A writer that checkpoints or restarts its log while the file is read makes the read start over.
const ATTEMPTS = 10;

/**
 * One of the state dir's SQLite files as an in-memory database, read without opening the file
 * for writing or letting SQLite create, checkpoint or delete anything beside it: its bytes and
 * modification times, and those of its `-wal` and `-shm`, are left as they were, in a directory
 * this user may write or not. A missing file reads as empty; `schema` is run on the copy, so a
 * file whose tables were dropped reads as empty too.
 *
 * - No write-ahead log holding changes (after every cutover command has exited): the file holds
 *   every committed row and is copied whole.
 * - A log with changes (a writer holding the file open, or one that died): the file and its log
 *   are copied together to a private temp dir, where SQLite replays the log's committed
 *   transactions as it would in place. The log's header is read first and checked again after:
 *   unchanged, the log read is of the same generation as the file, and any page a checkpoint
 *   wrote into the file meanwhile is replayed from the log over whatever was read of it.
 *
 * Any failure is one `E_STATE_DIR` naming the file and the reason.
 */
export function readDatabaseSnapshot(path: string, schema: string): Database.Database {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let image: Buffer | undefined;
    try {
      image = readImage(path);
      if (image !== undefined) return copyOf(image, schema);
    } catch (err) {
      throw isCutoverError(err) ? err : stateFileError(path, 'read', err);
    }
  }
  throw new CutoverError(
    'E_STATE_DIR',
    `cannot read ${path}: a writer changed it while it was read, ${ATTEMPTS} times (try again)`,
    { path },
  );
}

/** The committed content of the database, or undefined when a writer changed it meanwhile. */
function readImage(path: string): Buffer | undefined {
  const before = versionOf(path);
  if (before === undefined) return Buffer.alloc(0);
  const wal = `${path}-wal`;
  const header = readHeader(wal);
  const file = readFileSync(path);
  if (header === undefined) {
    // A writer that came, wrote and checkpointed while the file was read changed its times.
    return versionOf(path) === before && readHeader(wal) === undefined ? file : undefined;
  }
  let log: Buffer;
  try {
    log = readFileSync(wal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // its writer closed it
    throw err;
  }
  if (!log.subarray(0, WAL_HEADER_BYTES).equals(header)) return undefined; // the log restarted
  return replayed(path, file, log);
}

/** Changes with every write to the file; undefined when there is no file. */
export function versionOf(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The log's header; undefined when there is no log, or none with a whole header (no changes). */
export function readHeader(wal: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(wal, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const header = Buffer.alloc(WAL_HEADER_BYTES);
    return readSync(fd, header, 0, WAL_HEADER_BYTES, 0) === WAL_HEADER_BYTES ? header : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The file with its log's committed transactions applied, by SQLite, in a private copy. */
function replayed(path: string, file: Buffer, log: Buffer): Buffer {
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'cutover-read-'));
    const copy = join(dir, 'copy.db');
    writeFileSync(copy, file);
    writeFileSync(`${copy}-wal`, log);
    const db = new Database(copy);
    try {
      return db.serialize();
    } finally {
      db.close();
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CutoverError(
      'E_STATE_DIR',
      `cannot read ${path}: its write-ahead log ${path}-wal holds changes, which are read from a private copy in ${tmpdir()}, and that failed: ${why}`,
      { path },
      err,
    );
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
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
