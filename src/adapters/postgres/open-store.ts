import type pg from 'pg';
import type { ErrorCode } from '../../core/errors.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { schemaReady } from './migrate.js';
import { classifyPostgresError } from './postgres-errors.js';
import { inTransaction, openPool, type PostgresConnection } from './postgres-pool.js';

/** A named (prepared) query's rows. */
export type StoreQuery = <R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values?: unknown[],
) => Promise<R[]>;

/** A transaction on one connection, begun with `begin` (`BEGIN` unless told otherwise). */
export type StoreTransaction = <T>(body: (client: pg.PoolClient) => Promise<T>, begin?: string) => Promise<T>;

/** What one adapter queries the store through. */
export interface Store {
  query: StoreQuery;
  transaction: StoreTransaction;
  /** ends the pool; idempotent */
  close(): Promise<void>;
}

export interface StoreOptions {
  access: StateAccess;
  /** what a failure because the server is away becomes: E_JOURNAL_UNAVAILABLE, E_STATE_UNAVAILABLE */
  unavailable: ErrorCode;
  /** connections at most */
  max?: number;
  /** milliseconds a statement waits for a row lock before failing (the server's `lock_timeout`) */
  lockTimeoutMs?: number;
}

/**
 * An adapter's pool on the store: every query and transaction first awaits the schema (migrated
 * for `write`, checked for `read`: migrate.ts), and a failure because the server is away is
 * reported as `options.unavailable`, naming the store by its label.
 */
export function openStore(connection: PostgresConnection, options: StoreOptions): Store {
  const pool = openPool(connection, {
    access: options.access,
    max: options.max ?? 2,
    ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
  });
  const ready = schemaReady(pool, connection, options.access);
  const classified = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      await ready();
      return await work();
    } catch (err) {
      throw classifyPostgresError(err, connection.label, options.unavailable);
    }
  };
  let closed = false;
  return {
    query: (name, text, values = []) =>
      classified(async () => (await pool.query({ name, text, values })).rows),
    transaction: (body, begin) => classified(() => inTransaction(pool, body, begin)),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
