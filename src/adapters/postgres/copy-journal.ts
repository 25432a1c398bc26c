import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { CutoverError } from '../../core/errors.js';
import type { StoredRow } from '../journal/verify-rows.js';
import type { FlagsCopy } from './copy-flags.js';
import { migrate } from './migrate.js';
import { classifyPostgresError } from './postgres-errors.js';
import { inTransaction, openPool, type PostgresConnection } from './postgres-pool.js';

export interface CopyReport {
  rows: number;
  deploys: number;
  /** the hash of the last row copied: the head of both chains */
  head: string;
}

/** Rows per INSERT: a few hundred keep each statement's parameters well within PostgreSQL's limit. */
const BATCH = 500;

/**
 * Copies a state dir's SQLite journal into the PostgreSQL store, row for row: ids, seqs, times,
 * data and hashes as they are, so the copy is the same chain (`audit verify` passes on it, and
 * the state dir's anchor and signed checkpoints still name its rows). The store's journal must
 * be empty: two chains cannot be joined without rehashing one, which would rewrite history. One
 * transaction, with `also` (the flag store): a copy that fails half-way leaves nothing behind.
 * The SQLite file is only read.
 */
export async function copySqliteJournal(
  journalFile: string,
  connection: PostgresConnection,
  also?: FlagsCopy,
): Promise<CopyReport> {
  if (!existsSync(journalFile))
    throw new CutoverError('E_INVALID_INPUT', `--from: there is no journal at ${journalFile}`);
  const sqlite = new Database(journalFile, { readonly: true, fileMustExist: true });
  const pool = openPool(connection, { max: 1 });
  try {
    const rows = sqlite.prepare('SELECT * FROM events ORDER BY id').all() as StoredRow[];
    await migrate(pool, connection.label);
    return await inTransaction(pool, async (db) => {
      await db.query('SELECT id FROM cutover.chain_head WHERE one = 1 FOR UPDATE');
      const found = Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM cutover.events')).rows[0]!.n,
      );
      if (found > 0)
        throw new CutoverError(
          'E_INVALID_INPUT',
          `--to postgres: ${connection.label} already holds ${found} journal rows; state copy only fills an empty journal`,
        );
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const column = <K extends keyof StoredRow>(key: K) => batch.map((r) => r[key]);
        await db.query(
          `INSERT INTO cutover.events (id, deploy_id, seq, at, type, data, prev_hash, hash)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[],
             $6::text[], $7::text[], $8::text[])`,
          (['id', 'deploy_id', 'seq', 'at', 'type', 'data', 'prev_hash', 'hash'] as const).map(column),
        );
      }
      await also?.copy(db, connection.label);
      const last = rows.at(-1);
      if (last)
        await db.query('UPDATE cutover.chain_head SET id = $1, hash = $2 WHERE one = 1', [
          last.id,
          last.hash,
        ]);
      const deploys = new Set(rows.map((r) => r.deploy_id)).size;
      return { rows: rows.length, deploys, head: last?.hash ?? '' };
    });
  } catch (err) {
    throw classifyPostgresError(err, connection.label, 'E_STATE_UNAVAILABLE');
  } finally {
    sqlite.close();
    await pool.end();
  }
}
