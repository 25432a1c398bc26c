import type pg from 'pg';
import { CutoverError } from '../../core/errors.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { inTransaction, openPool, type PostgresConnection } from './postgres-pool.js';
import { classifyPostgresError } from './postgres-errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema-migrations.js';

/**
 * `pg_advisory_xact_lock(key1, key2)`: key1 says "cutover" and what for (`cutv`: the schema,
 * `cutq`: a queue, in ASCII), so that other applications sharing the database do not collide
 * with it; key2 says which (1: the one schema; a queue's environment, hashed).
 */
export const ADVISORY_MIGRATE = [0x63757476, 1] as const;
export const ADVISORY_QUEUE_CLASS = 0x63757471;

export interface MigrateReport {
  /** the version the store had (0: no cutover schema) */
  from: number;
  to: number;
}

/**
 * The store's schema version; 0 when it has no cutover schema at all. Two queries, since a
 * statement naming a table that does not exist fails as a whole.
 */
export async function schemaVersion(db: pg.Pool | pg.PoolClient): Promise<number> {
  const found = await db.query<{ found: boolean }>(
    "SELECT to_regclass('cutover.schema_migrations') IS NOT NULL AS found",
  );
  if (!found.rows[0]?.found) return 0;
  const { rows } = await db.query<{ version: number }>(
    'SELECT coalesce(max(version), 0) AS version FROM cutover.schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

function newerError(version: number, label: string): CutoverError {
  return new CutoverError(
    'E_STATE_SCHEMA',
    `${label} has schema version ${version}, newer than this cutover's ${SCHEMA_VERSION}: upgrade cutover`,
    { store: label, version, known: SCHEMA_VERSION },
  );
}

/**
 * Brings the schema to SCHEMA_VERSION: idempotent, and safe when several executors race to do
 * it. A store already there costs one query; otherwise one transaction holds an advisory lock
 * (released at its end, whatever happens) while it reads the version again and runs what is
 * missing, so a second migrator waits and then finds nothing to do. DDL is transactional in
 * PostgreSQL: a migrator killed half-way leaves the version it found.
 */
export async function migrate(pool: pg.Pool, label: string): Promise<MigrateReport> {
  try {
    const found = await schemaVersion(pool);
    if (found === SCHEMA_VERSION) return { from: found, to: found };
    if (found > SCHEMA_VERSION) throw newerError(found, label);
    return await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...ADVISORY_MIGRATE]);
      await client.query('CREATE SCHEMA IF NOT EXISTS cutover');
      await client.query(`CREATE TABLE IF NOT EXISTS cutover.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const from = await schemaVersion(client);
      if (from > SCHEMA_VERSION) throw newerError(from, label);
      for (const step of MIGRATIONS.slice(from)) {
        await client.query(step.sql);
        await client.query('INSERT INTO cutover.schema_migrations (version, name) VALUES ($1, $2)', [
          step.version,
          step.name,
        ]);
      }
      return { from, to: SCHEMA_VERSION };
    });
  } catch (err) {
    throw classifyPostgresError(err, label, 'E_STATE_UNAVAILABLE');
  }
}

/**
 * What an adapter awaits before its first query, run once per pool: `write` migrates; `read`
 * creates nothing and refuses a store that is not at this cutover's version. A failure is not
 * remembered, so the next call tries again (the server may be back).
 */
export function schemaReady(
  pool: pg.Pool,
  connection: PostgresConnection,
  access: StateAccess,
): () => Promise<void> {
  let ready: Promise<void> | undefined;
  const check = async () => {
    if (access === 'write') return void (await migrate(pool, connection.label));
    const version = await schemaVersion(pool).catch((err: unknown) => {
      throw classifyPostgresError(err, connection.label, 'E_STATE_UNAVAILABLE');
    });
    if (version > SCHEMA_VERSION) throw newerError(version, connection.label);
    if (version < SCHEMA_VERSION)
      throw new CutoverError(
        'E_STATE_SCHEMA',
        `${connection.label} ${version === 0 ? 'has no cutover schema yet' : `has schema version ${version}, older than this cutover's ${SCHEMA_VERSION}`}: cutover state migrate ${version === 0 ? 'creates' : 'upgrades'} it`,
        { store: connection.label, version, known: SCHEMA_VERSION },
      );
  };
  return () =>
    (ready ??= check().catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));
}

/** `cutover state migrate`: {@link migrate} on a connection of its own, closed after. */
export async function migrateStore(connection: PostgresConnection): Promise<MigrateReport> {
  const pool = openPool(connection, { max: 1 });
  try {
    return await migrate(pool, connection.label);
  } finally {
    await pool.end();
  }
}
