import type { JournalHead } from '../../ports/journal.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS high_water (
  one INTEGER PRIMARY KEY CHECK (one = 1), rows INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL
);
`;

/** A head of the chain as it was at `at` (ISO 8601). */
export interface Mark extends JournalHead {
  at: string;
}

export interface Anchors {
  /** the newest head cutover ever saw itself write; the chain may never be shorter than this */
  highWater: Mark | undefined;
}

export interface JournalAnchor {
  readonly path: string;
  read(): Anchors;
  /** Raises the high-water mark to `mark`; never lowers it. */
  record(mark: Mark): void;
  close(): void;
}

/**
 * What the journal's heads were, kept in `journal-anchor.db` beside `journal.db` rather than in it:
 * a journal file deleted, replaced by an empty one or restored from an old backup takes every
 * table inside it along, and whoever cuts rows with `sqlite3 journal.db` (rewriting `chain_head`
 * to match) must also find and rewrite this second file. It is still in the state dir, so it
 * cannot stop someone who edits both: only an anchor outside (a head from `cutover audit head`
 * kept elsewhere) can. SQLite, so that two CLIs closing at once only ever raise the mark.
 */
export function openJournalAnchor(path: string, access: StateAccess): JournalAnchor {
  const db = openStateDatabase(path, SCHEMA, access);
  const raise = db.prepare<[number, string, string]>(
    `INSERT INTO high_water (one, rows, hash, at) VALUES (1, ?, ?, ?)
     ON CONFLICT (one) DO UPDATE SET rows = excluded.rows, hash = excluded.hash, at = excluded.at
     WHERE excluded.rows > high_water.rows`,
  );
  return {
    path,
    read() {
      return {
        highWater: db.prepare<[], Mark>('SELECT rows, hash, at FROM high_water').get(),
      };
    },
    record(mark) {
      raise.run(mark.rows, mark.hash, mark.at);
    },
    close() {
      db.close();
    },
  };
}
