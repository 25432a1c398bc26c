import type pg from 'pg';
import { lazyRequire } from '../../lib/lazy-require.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';

const pgModule = lazyRequire<typeof pg>('pg');

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
  /** the sessions' `lock_timeout`: a statement waiting longer for a row lock fails */
  lockTimeoutMs?: number;
}

/**
 * A `pg` pool on the store. `sslmode` and the other URL parameters are pg's to read. An idle
 * connection the server drops (a restart) is an `error` event on the pool, which would kill the
 * process unhandled: it is ignored here, since the next query gets a new connection and any
 * query that was running fails on its own.
 */
export function openPool(connection: PostgresConnection, options: PoolOptions = {}): pg.Pool {
  const pool = new (pgModule().Pool)({
    connectionString: connection.url,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'cutover',
    options: sessionSettings(options),
  });
  pool.on('error', () => undefined);
  return pool;
}

/** Settings every session of the pool starts with (libpq's `options`). */
function sessionSettings(options: PoolOptions): string | undefined {
  const settings = [
    ...(options.access === 'read' ? ['-c default_transaction_read_only=on'] : []),
    ...(options.lockTimeoutMs !== undefined ? [`-c lock_timeout=${Math.round(options.lockTimeoutMs)}`] : []),
  ];
  return settings.length > 0 ? settings.join(' ') : undefined;
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
