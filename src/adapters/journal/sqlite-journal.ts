import { canonicalJson } from '../../core/canonical-json.js';
import { CutoverError } from '../../core/errors.js';
import type { DeployEvent } from '../../core/events.js';
import type { DeploySummary, Journal, JournalHead, JournalRow } from '../../ports/journal.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';
import { GENESIS_HASH, hashRow } from './hash-chain.js';
import { classifyJournalError } from './journal-errors.js';
import { verifyRows, type StoredRow } from './verify-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  deploy_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (deploy_id, seq)
);
CREATE TABLE IF NOT EXISTS chain_head (one INTEGER PRIMARY KEY CHECK (one = 1), id INTEGER NOT NULL, hash TEXT NOT NULL);
`;

function toRow(r: StoredRow): JournalRow {
  return {
    id: r.id,
    deploy_id: r.deploy_id,
    seq: r.seq,
    at: r.at,
    event: JSON.parse(r.data),
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
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
  const access = options.access ?? 'write';
  const db = openStateDatabase(path, SCHEMA, access);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 1000}`);

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

  const appendTx = db.transaction((deployId: string, expectedSeq: number, at: string, event: DeployEvent) => {
    const current = lastSeq.get(deployId)?.seq ?? 0;
    if (current !== expectedSeq) {
      throw new CutoverError(
        'E_JOURNAL_CONFLICT',
        `deploy ${deployId} moved on (seq ${current}, expected ${expectedSeq}): another process is writing it`,
      );
    }
    const prev = lastRow.get();
    const prevHash = prev?.hash ?? GENESIS_HASH;
    const seq = expectedSeq + 1;
    const hash = hashRow(prevHash, { deploy_id: deployId, seq, at, event });
    const info = insert.run(deployId, seq, at, event.type, canonicalJson(event), prevHash, hash);
    setHead.run(Number(info.lastInsertRowid), hash);
    return {
      id: Number(info.lastInsertRowid),
      deploy_id: deployId,
      seq,
      at,
      event,
      prev_hash: prevHash,
      hash,
    };
  });

  return {
    name: 'sqlite',
    async append(deployId, expectedSeq, at, event) {
      if (access === 'read')
        throw new CutoverError(
          'E_JOURNAL_READ_ONLY',
          `${path} was opened for reading only (status, log, audit verify|head): nothing is appended through it`,
          { path },
        );
      try {
        return appendTx.immediate(deployId, expectedSeq, at.toISOString(), event);
      } catch (err) {
        throw classifyJournalError(err, path);
      }
    },
    async rows(deployId) {
      return db
        .prepare<[string], StoredRow>('SELECT * FROM events WHERE deploy_id = ? ORDER BY seq')
        .all(deployId)
        .map(toRow);
    },
    async deploys(environment) {
      const rows = db
        .prepare<[], DeploySummary & { environment: string }>(
          `SELECT e.deploy_id, json_extract(r.data, '$.environment') AS environment, MIN(e.at) AS first_at, MAX(e.at) AS last_at,
             (SELECT type FROM events l WHERE l.deploy_id = e.deploy_id ORDER BY seq DESC LIMIT 1) AS last_type, COUNT(*) AS events
           FROM events e JOIN events r ON r.deploy_id = e.deploy_id AND r.seq = 1
           GROUP BY e.deploy_id ORDER BY MIN(e.id)`,
        )
        .all();
      return environment ? rows.filter((r) => r.environment === environment) : rows;
    },
    async findDeploy(idOrPrefix) {
      const matches = db
        .prepare<[string], { deploy_id: string }>(
          "SELECT DISTINCT deploy_id FROM events WHERE deploy_id LIKE ? || '%' LIMIT 2",
        )
        .all(idOrPrefix);
      if (matches.length > 1)
        throw new CutoverError('E_INVALID_INPUT', `deploy id prefix "${idOrPrefix}" is ambiguous`);
      return matches[0]?.deploy_id;
    },
    async verify(after?: JournalHead) {
      if (after && after.rows > 0 && hashAt.get(after.rows)?.hash !== after.hash)
        return {
          ok: false,
          rows: after.rows,
          bad_row: after.rows,
          deploy_id: null,
          reason: `row ${after.rows} is not the row ${after.rows}:${after.hash} verified before`,
        };
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
