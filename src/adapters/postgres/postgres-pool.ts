import pg from 'pg';
import type { ErrorCode } from '../../core/errors.js';
import { classifyPostgresError } from './postgres-errors.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';

/** Where a PostgreSQL adapter connects, and how it names the store in what it reports. */
export interface PostgresConnection {
  /**
   * `postgres://user:password@host:port/db?sslmode=…`, read from the variable cutover.yaml names.
   * A secret: it goes to `pg` and nowhere else (no message, log or journal row quotes it).
   */
  url: string;
  /** how messages name the store, e.g. `PostgreSQL ($CUTOVER_DATABASE_URL)` */
  label: string;
}

export interface PoolOptions {
  /** `read` sessions are read-only in the server too (`default_transaction_read_only`) */
  access?: StateAccess;
  /** connections this pool opens at most; they are opened on demand */
  max?: number;
  /** milliseconds to wait for a connection before failing (an unreachable server) */
  connectTimeoutMs?: number;
}

/**
 * A `pg` pool on the store. `sslmode` and the other URL parameters are pg's to read. An idle
 * connection the server drops (a restart) is an `error` event on the pool, which would kill the
 * process unhandled: it is ignored here, since the next query gets a new connection and any
 * query that was running fails on its own.
 */
export function openPool(connection: PostgresConnection, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: connection.url,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'cutover',
    ...(options.access === 'read' ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `body` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws (the error is rethrown as it was).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    // a connection whose rollback failed is in an unknown state: dropped, not reused
    client.release(broken);
  }
}

/** A named (prepared) query's rows; see {@link storeQuery}. */
export type StoreQuery = <R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values?: unknown[],
) => Promise<R[]>;

/**
 * Queries on `pool` once `ready` (the schema) resolves, each a prepared statement under `name`,
 * a failure because the server is away reported as `code` naming the store.
 */
export function storeQuery(
  pool: pg.Pool,
  ready: () => Promise<void>,
  label: string,
  code: ErrorCode,
): StoreQuery {
  return async (name, text, values = []) => {
    try {
      await ready();
      return (await pool.query({ name, text, values })).rows;
    } catch (err) {
      throw classifyPostgresError(err, label, code);
    }
  };
}

/** A transaction on the store; see {@link storeTransaction}. */
export type StoreTransaction = <T>(body: (client: pg.PoolClient) => Promise<T>, begin?: string) => Promise<T>;

/** {@link inTransaction} once `ready` resolves, failures classified as {@link storeQuery}'s. */
export function storeTransaction(
  pool: pg.Pool,
  ready: () => Promise<void>,
  label: string,
  code: ErrorCode,
): StoreTransaction {
  return async (body, begin) => {
    try {
      await ready();
      return await inTransaction(pool, body, begin);
    } catch (err) {
      throw classifyPostgresError(err, label, code);
    }
  };
}
