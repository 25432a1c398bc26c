import type { JournalHead } from '../../core/journal-head.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS high_water (
  one INTEGER PRIMARY KEY CHECK (one = 1), rows INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  rows INTEGER PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL
);
`;

/** A head of the chain as it was at `at` (ISO 8601). */
export interface Mark extends JournalHead {
  at: string;
}

/** A mark signed with the audit key (ed25519, base64); `key_id` names the key that signed it. */
export interface Checkpoint extends Mark {
  key_id: string;
  signature: string;
}

export interface Anchors {
  /** the newest head cutover ever saw itself write; the chain may never be shorter than this */
  highWater: Mark | undefined;
  /** oldest first */
  checkpoints: Checkpoint[];
}

export interface JournalAnchor {
  readonly path: string;
  read(): Anchors;
  /** Raises the high-water mark to `mark` (never lowers it) and stores `checkpoint`, atomically. */
  record(mark: Mark, checkpoint?: Checkpoint): void;
  close(): void;
}

/**
 * What the journal's heads were, kept in `journal-anchor.db` beside `journal.db` rather than in it:
 * a journal file deleted, replaced by an empty one or restored from an old backup takes every
 * table inside it along, and whoever cuts rows with `sqlite3 journal.db` (rewriting `chain_head`
 * to match) must also rewrite the mark here: deleting this file leaves a journal with rows and no
 * mark, which `audit verify` reports NOT ANCHORED. It is still in the state dir, so it cannot stop
 * someone who edits both: only an anchor outside (a signed checkpoint, or a head from
 * `cutover audit head` kept elsewhere) can. SQLite, so that two CLIs closing at once only
 * ever raise the mark.
 */
export function openJournalAnchor(path: string, access: StateAccess): JournalAnchor {
  const db = openStateDatabase(path, SCHEMA, access);
  const raise = db.prepare<[number, string, string]>(
    `INSERT INTO high_water (one, rows, hash, at) VALUES (1, ?, ?, ?)
     ON CONFLICT (one) DO UPDATE SET rows = excluded.rows, hash = excluded.hash, at = excluded.at
     WHERE excluded.rows > high_water.rows`,
  );
  const insert = db.prepare<[number, string, string, string, string]>(
    'INSERT OR IGNORE INTO checkpoints (rows, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)',
  );
  const record = db.transaction((mark: Mark, checkpoint?: Checkpoint) => {
    raise.run(mark.rows, mark.hash, mark.at);
    if (checkpoint)
      insert.run(checkpoint.rows, checkpoint.hash, checkpoint.at, checkpoint.key_id, checkpoint.signature);
  });
  return {
    path,
    read() {
      return {
        highWater: db.prepare<[], Mark>('SELECT rows, hash, at FROM high_water').get(),
        checkpoints: db.prepare<[], Checkpoint>('SELECT * FROM checkpoints ORDER BY rows').all(),
      };
    },
    record(mark, checkpoint) {
      record.immediate(mark, checkpoint);
    },
    close() {
      db.close();
    },
  };
}
