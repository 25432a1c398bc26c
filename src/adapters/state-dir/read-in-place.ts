import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { readHeader, versionOf } from './read-snapshot.js';

// better-sqlite3 takes URI filenames (and so `immutable=1`) only when this variable says so as its
// addon loads, at the first Database of the process: set here, when the adapters are imported.
// Where it comes too late or is set to 0, opening in place fails and the reader takes a snapshot.
process.env.SQLITE_USE_URI ??= '1';

export interface InPlace {
  db: Database.Database;
  /**
   * Whether the file is still as it was opened. A writer that checkpoints its log into the file
   * changes pages under the reader, so what was read since may mix two commits: read it again
   * from a snapshot (readDatabaseSnapshot).
   */
  unchanged(): boolean;
}

/**
 * One of the state dir's SQLite files opened where it lies, read-only, as an immutable file:
 * SQLite takes no lock and creates, writes and deletes nothing (no `-wal`, no `-shm`), and reads
 * only the pages a query needs, so a long journal costs what is read from it, not its size, as a
 * snapshot would. Offered only when no write-ahead log holds changes (an immutable file ignores
 * its log) and the file has what `ready` looks for; undefined otherwise, or when SQLite cannot
 * open it so: the caller reads a snapshot then.
 */
export function openInPlace(path: string, ready: (db: Database.Database) => boolean): InPlace | undefined {
  let db: Database.Database | undefined;
  try {
    const version = versionOf(path);
    if (version === undefined || readHeader(`${path}-wal`) !== undefined) return undefined;
    db = new Database(`${pathToFileURL(path).href}?immutable=1`, { readonly: true, fileMustExist: true });
    if (ready(db)) return { db, unchanged: () => versionOf(path) === version };
  } catch {
    // not there, not SQLite, not readable, or no URI filenames here: the snapshot says why, or reads it
  }
  db?.close();
  return undefined;
}
