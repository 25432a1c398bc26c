import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrate, schemaReady } from '../../../src/adapters/postgres/migrate.js';
import { openPool } from '../../../src/adapters/postgres/postgres-pool.js';
import { SCHEMA_VERSION } from '../../../src/adapters/postgres/schema-migrations.js';
import { freePort } from '../../support/ports.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';

const server = postgresPerFile();
const label = 'PostgreSQL ($CUTOVER_DATABASE_URL)';

async function withPools<T>(url: string, n: number, body: (pools: pg.Pool[]) => Promise<T>): Promise<T> {
  const pools = Array.from({ length: n }, () => openPool({ url, label }));
  try {
    return await body(pools);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
}

const versions = async (pool: pg.Pool) =>
  (
    await pool.query<{ version: number }>('SELECT version FROM cutover.schema_migrations ORDER BY version')
  ).rows.map((r) => r.version);

describe('PostgreSQL schema migrations', { skip: skipUnlessPostgres() }, () => {
  it('creates the schema on an empty database, then finds nothing to do', async () => {
    const url = await (await server()).createDatabase();
    await withPools(url, 1, async ([pool]) => {
      assert.deepEqual(await migrate(pool!, label), { from: 0, to: SCHEMA_VERSION });
      assert.deepEqual(await migrate(pool!, label), { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
      assert.deepEqual(await versions(pool!), [1]);
      const head = await pool!.query('SELECT id, hash FROM cutover.chain_head');
      assert.deepEqual(head.rows, [{ id: '0', hash: '0'.repeat(64) }]);
    });
  });

  it('several executors racing to migrate: each succeeds, one of them did the work, once', async () => {
    const url = await (await server()).createDatabase();
    await withPools(url, 4, async (pools) => {
      const reports = await Promise.all(pools.map((p) => migrate(p, label)));
      assert.equal(reports.filter((r) => r.from === 0).length >= 1, true);
      assert.ok(reports.every((r) => r.to === SCHEMA_VERSION));
      assert.deepEqual(await versions(pools[0]!), [1], 'each step recorded once');
    });
  });

  it('a store newer than this cutover is refused with E_STATE_SCHEMA and left as it was', async () => {
    const url = await (await server()).createDatabase();
    await withPools(url, 1, async ([pool]) => {
      await migrate(pool!, label);
      await pool!.query(
        "INSERT INTO cutover.schema_migrations (version, name) VALUES (99, 'from the future')",
      );
      await assert.rejects(migrate(pool!, label), {
        code: 'E_STATE_SCHEMA',
        message: `${label} has schema version 99, newer than this cutover's ${SCHEMA_VERSION}: upgrade cutover`,
      });
      assert.deepEqual(await versions(pool!), [1, 99]);
    });
  });

  it('a reading session creates nothing: no schema is E_STATE_SCHEMA, and the server refuses its writes', async () => {
    const url = await (await server()).createDatabase();
    const pool = openPool({ url, label }, { access: 'read' });
    try {
      await assert.rejects(schemaReady(pool, { url, label }, 'read')(), {
        code: 'E_STATE_SCHEMA',
        message: `${label} has no cutover schema yet: cutover state migrate creates it`,
      });
      await assert.rejects(pool.query('CREATE SCHEMA cutover'), { code: '25006' });
    } finally {
      await pool.end();
    }
    await withPools(url, 1, async ([writer]) => {
      assert.equal((await writer!.query("SELECT to_regclass('cutover.events') AS t")).rows[0].t, null);
      await schemaReady(writer!, { url, label }, 'write')();
      assert.deepEqual(await versions(writer!), [1]);
    });
  });

  it('an unreachable server is E_STATE_UNAVAILABLE, and the message never quotes the URL', async () => {
    const url = `postgres://cutover:s3cret-pw@127.0.0.1:${await freePort()}/cutover`;
    await withPools(url, 1, async ([pool]) => {
      await assert.rejects(migrate(pool!, label), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'E_STATE_UNAVAILABLE');
        assert.match(err.message, /^PostgreSQL \(\$CUTOVER_DATABASE_URL\) is unavailable: /);
        assert.doesNotMatch(err.message, /s3cret-pw/);
        return true;
      });
    });
  });
});
