import type pg from 'pg';
import type { Journal, JournalRow } from '../../ports/journal.js';
import { openStore } from '../postgres/open-store.js';
import type { PostgresConnection } from '../postgres/postgres-pool.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { GENESIS_HASH } from './hash-chain.js';
import { readOnlyJournal } from './journal-errors.js';
import { postgresAppend } from './postgres-append.js';
import { postgresDeployIndex } from './postgres-deploy-index.js';
import { markMoved, verifyRows, type StoredRow } from './verify-rows.js';

export interface PostgresJournalOptions {
  /** `read`: appends fail `E_JOURNAL_READ_ONLY`, settle is ignored, nothing is migrated */
  access?: StateAccess;
  /**
   * Milliseconds an append waits for the chain head while another session holds it past the
   * few milliseconds an append takes, before failing `E_JOURNAL_UNAVAILABLE` (retried by the
   * executor, as SQLite's busy wait is).
   */
  lockTimeoutMs?: number;
}

/** int8 columns come back from pg as strings; the port's ids are numbers. */
type PgRow = Omit<StoredRow, 'id'> & { id: string | number };
const stored = (r: PgRow): StoredRow => ({ ...r, id: Number(r.id) });
const toRow = ({ type: _type, data, ...r }: StoredRow): JournalRow => ({ ...r, event: JSON.parse(data) });

/**
 * The journal in PostgreSQL, shared by every executor on the database: one hash chain over all
 * of them, each append one statement (postgres/append-statement.ts) that locks `cutover.chain_head`
 * and inserts only if the head is still the one the row was hashed on. Why one chain and this
 * lock: docs/architecture.md#the-postgresql-store.
 *
 * @example
 * const journal = openPostgresJournal({ url, label: 'PostgreSQL ($CUTOVER_DATABASE_URL)' });
 * await journal.append(deployId, 0, new Date(), event);
 */
const ROWS_AFTER = 'SELECT * FROM cutover.events WHERE id > $1 ORDER BY id LIMIT $2';

export function openPostgresJournal(
  connection: PostgresConnection,
  options: PostgresJournalOptions = {},
): Journal {
  const access = options.access ?? 'write';
  const { query, transaction, close } = openStore(connection, {
    access,
    unavailable: 'E_JOURNAL_UNAVAILABLE',
    max: 4,
    lockTimeoutMs: Math.max(1, Math.round(options.lockTimeoutMs ?? 5000)),
  });
  const index = postgresDeployIndex(query);
  const append = postgresAppend(query, transaction, connection.label);
  const hashAt = async (db: pg.PoolClient | undefined, id: number): Promise<string | undefined> => {
    const text = 'SELECT hash FROM cutover.events WHERE id = $1';
    const rows = db
      ? (await db.query<{ hash: string }>(text, [id])).rows
      : await query<{ hash: string }>('cutover.journal-hash-at', text, [id]);
    return rows[0]?.hash;
  };

  return {
    name: 'postgres',
    append(deployId, expectedSeq, at, event, fence) {
      if (access === 'read') return Promise.reject(readOnlyJournal(connection.label));
      return append(deployId, expectedSeq, at, event, fence);
    },
    async rows(deployId) {
      const rows = await query<PgRow>(
        'cutover.journal-rows',
        'SELECT * FROM cutover.events WHERE deploy_id = $1 ORDER BY seq',
        [deployId],
      );
      return rows.map(stored).map(toRow);
    },
    rowsAfter: async (afterId, limit) =>
      (await query<PgRow>('cutover.journal-rows-after', ROWS_AFTER, [afterId, limit])).map(stored).map(toRow),
    deploys: index.deploys,
    deployPage: index.deployPage,
    openDeploys: index.openDeploys,
    findDeploy: index.findDeploy,
    async settle(deploys) {
      if (access === 'write' && deploys.length > 0) await index.settle(deploys);
    },
    // One snapshot for the rows and the head, however many executors append meanwhile.
    async verify(after) {
      return transaction(async (db) => {
        const moved = after && markMoved(after, await hashAt(db, after.rows));
        if (moved) return moved;
        const rows = await db.query<PgRow>('SELECT * FROM cutover.events WHERE id > $1 ORDER BY id', [
          after?.rows ?? 0,
        ]);
        const head = (await db.query<{ id: string; hash: string }>('SELECT id, hash FROM cutover.chain_head'))
          .rows[0];
        return verifyRows(rows.rows.map(stored), head && { id: Number(head.id), hash: head.hash }, after);
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    async head() {
      const [last] = await query<{ id: string; hash: string }>(
        'cutover.journal-head',
        'SELECT id, hash FROM cutover.events ORDER BY id DESC LIMIT 1',
      );
      return last ? { rows: Number(last.id), hash: last.hash } : { rows: 0, hash: GENESIS_HASH };
    },
    async hashAt(id) {
      return hashAt(undefined, id);
    },
    close,
  };
}
