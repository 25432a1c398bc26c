import { canonicalJson } from '../../core/canonical-json.js';
import type { DeployEvent } from '../../core/events.js';
import type { Journal, JournalHead, JournalRow } from '../../ports/journal.js';
import type Database from 'better-sqlite3';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';
import { deployIndex } from './deploy-index.js';
import { GENESIS_HASH, hashRow } from './hash-chain.js';
import { classifyJournalError, readOnlyJournal, seqConflict } from './journal-errors.js';
import { indexDeploys, JOURNAL_SCHEMA } from './journal-schema.js';
import { openReadingJournal } from './reading-journal.js';
import { markMoved, verifyRows, type StoredRow } from './verify-rows.js';

function toRow(r: StoredRow): JournalRow {
  const { id, deploy_id, seq, at, prev_hash, hash } = r;
  return { id, deploy_id, seq, at, event: JSON.parse(r.data), prev_hash, hash };
}

export interface SqliteJournalOptions {
  /** `read` opens without creating or changing anything (see openStateDatabase); appends then fail */
  access?: StateAccess;
  /**
   * Milliseconds one append waits for another writer before failing `E_JOURNAL_UNAVAILABLE`.
   * Short, because better-sqlite3 waits synchronously (the event loop, lock heartbeat included,
   * stands still meanwhile); the executor retries with backoff for as long as it can afford.
   */
  busyTimeoutMs?: number;
}

/**
 * The embedded journal: one SQLite file, WAL with synchronous FULL so an appended row survives a
 * power cut. `chain_head` remembers the last row so that deleting rows from the end is caught too
 * — unless whoever deletes them rewrites it as well: `journal-anchor.ts` keeps a mark elsewhere.
 */
export function openSqliteJournal(path: string, options: SqliteJournalOptions = {}): Journal {
  if (options.access === 'read') return openReadingJournal(path, (db) => journalOn(db, path, 'read'));
  const db = openStateDatabase(path, JOURNAL_SCHEMA, 'write');
  try {
    indexDeploys(db);
  } catch (err) {
    db.close();
    throw classifyJournalError(err, path);
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 1000}`);
  return journalOn(db, path, 'write');
}

/** The journal's reads and appends on `db`, opened to `access` it. */
function journalOn(db: Database.Database, path: string, access: StateAccess): Journal {
  const lastSeq = db.prepare<[string], { seq: number | null }>(
    'SELECT MAX(seq) AS seq FROM events WHERE deploy_id = ?',
  );
  const lastRow = db.prepare<[], { id: number; hash: string }>(
    'SELECT id, hash FROM events ORDER BY id DESC LIMIT 1',
  );
  const insert = db.prepare(
    'INSERT INTO events (deploy_id, seq, at, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM events WHERE id = ?');
  const setHead = db.prepare(
    'INSERT INTO chain_head (one, id, hash) VALUES (1, ?, ?) ON CONFLICT(one) DO UPDATE SET id = excluded.id, hash = excluded.hash',
  );
  const rowsAfter = db.prepare<[number, number], StoredRow>(
    'SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?',
  );
  const index = deployIndex(db);

  const appendTx = db.transaction((deployId: string, expectedSeq: number, at: string, event: DeployEvent) => {
    const current = lastSeq.get(deployId)?.seq ?? 0;
    if (current !== expectedSeq) {
      throw seqConflict(deployId, current, expectedSeq);
    }
    const prevHash = lastRow.get()?.hash ?? GENESIS_HASH;
    const seq = expectedSeq + 1;
    const hash = hashRow(prevHash, { deploy_id: deployId, seq, at, event });
    const id = Number(
      insert.run(deployId, seq, at, event.type, canonicalJson(event), prevHash, hash).lastInsertRowid,
    );
    setHead.run(id, hash);
    return { id, deploy_id: deployId, seq, at, event, prev_hash: prevHash, hash };
  });
  const writing = <T>(write: () => T): T => {
    try {
      return write();
    } catch (err) {
      throw classifyJournalError(err, path);
    }
  };

  return {
    name: 'sqlite',
    async append(deployId, expectedSeq, at, event) {
      if (access === 'read') throw readOnlyJournal(path);
      return writing(() => appendTx.immediate(deployId, expectedSeq, at.toISOString(), event));
    },
    async rows(deployId) {
      return db
        .prepare<[string], StoredRow>('SELECT * FROM events WHERE deploy_id = ? ORDER BY seq')
        .all(deployId)
        .map(toRow);
    },
    async rowsAfter(afterId, limit) {
      return rowsAfter.all(afterId, limit).map(toRow);
    },
    deploys: index.deploys,
    deployPage: index.deployPage,
    openDeploys: index.openDeploys,
    findDeploy: index.findDeploy,
    async settle(deploys) {
      if (deploys.length > 0) writing(() => index.settle(deploys));
    },
    async verify(after?: JournalHead) {
      const moved = after && markMoved(after, hashAt.get(after.rows)?.hash);
      if (moved) return moved;
      const rows = db
        .prepare<[number], StoredRow>('SELECT * FROM events WHERE id > ? ORDER BY id')
        .all(after?.rows ?? 0);
      const head = db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM chain_head').get();
      return verifyRows(rows, head, after);
    },
    async head() {
      const last = lastRow.get();
      return last ? { rows: last.id, hash: last.hash } : { rows: 0, hash: GENESIS_HASH };
    },
    async hashAt(id) {
      return hashAt.get(id)?.hash;
    },
    async close() {
      db.close();
    },
  };
}
