import type { EnvironmentLocks, LockInfo } from '../../ports/lock.js';
import { LOCKS_SCHEMA, toInfo, toRow, type LockRow } from './lock-row.js';
import { locksOn, type Attempt, type LocksOptions } from './lock-store.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

export interface SqliteLocksOptions extends LocksOptions {
  /** `read` (lock status) opens without creating or changing anything; acquiring then fails */
  access?: StateAccess;
}

/**
 * Environment locks in their own SQLite file (WAL, synchronous FULL), so that a deploy holding
 * one never contends with journal writers. Each attempt is a `BEGIN IMMEDIATE` transaction:
 * two processes never both see the lock free. Fencing tokens count per environment in `fences`,
 * which a release never deletes; a forced release raises them.
 *
 * @example
 * const locks = openSqliteLocks(join(stateDir, 'locks.db'));
 * const lock = await locks.acquire('production', owner, 'deploy 2.4.0', { ttlMs: 30_000 });
 * try { await lock.assertHeld(); … } finally { await lock.release(); }
 */
export function openSqliteLocks(path: string, options: SqliteLocksOptions = {}): EnvironmentLocks {
  const db = openStateDatabase(path, LOCKS_SCHEMA, options.access ?? 'write');

  const selectOne = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE environment = ?');
  const upsert = db.prepare<[LockRow]>(
    `INSERT OR REPLACE INTO locks VALUES (@environment, @owner_id, @user, @host, @pid, @command, @deploy_id,
       @reason, @acquired_at, @heartbeat_at, @expires_at)`,
  );
  const nextToken = db.prepare<[string], { token: number }>(
    `INSERT INTO fences (environment, token) VALUES (?, 1)
       ON CONFLICT (environment) DO UPDATE SET token = token + 1 RETURNING token`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM locks WHERE environment = ? AND owner_id = ?');
  const renew = db.prepare<[string, string, string, string]>(
    'UPDATE locks SET heartbeat_at = ?, expires_at = ? WHERE environment = ? AND owner_id = ?',
  );
  const setDeploy = db.prepare<[string, string, string]>(
    'UPDATE locks SET deploy_id = ? WHERE environment = ? AND owner_id = ?',
  );
  // a store opened for reading may predate the identity row; it never acquires anyway
  const identified = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'store_identity'").get();
  const store = identified ? db.prepare<[], { id: string }>('SELECT id FROM store_identity').get()!.id : '';
  const current = (environment: string) => {
    const row = selectOne.get(environment);
    return row && toInfo(row);
  };

  const attempt = db.transaction(
    (environment: string, wanted: LockInfo, mayReplace: (holder: LockInfo) => boolean): Attempt => {
      const holder = current(environment);
      if (holder && !mayReplace(holder)) return { ok: false, holder };
      const { token } = nextToken.get(environment)!;
      upsert.run(toRow(wanted));
      return { ok: true, token, store, replaced: holder };
    },
  );
  const forceRelease = db.transaction((environment: string) => {
    const holder = current(environment);
    if (holder) {
      remove.run(environment, holder.owner.id);
      nextToken.get(environment);
    }
    return holder;
  });

  return locksOn(
    'sqlite',
    {
      attempt: async (environment, wanted, mayReplace) => attempt.immediate(environment, wanted, mayReplace),
      renew: async (environment, ownerId, heartbeatAt, expiresAt) =>
        renew.run(heartbeatAt, expiresAt, environment, ownerId).changes === 1,
      setDeploy: async (environment, ownerId, deployId) =>
        setDeploy.run(deployId, environment, ownerId).changes === 1,
      remove: async (environment, ownerId) => void remove.run(environment, ownerId),
      current: async (environment) => current(environment),
      async status(environment) {
        const rows =
          environment === undefined
            ? db.prepare<[], LockRow>('SELECT * FROM locks ORDER BY environment').all()
            : [selectOne.get(environment)].filter((r) => r !== undefined);
        return rows.map(toInfo);
      },
      forceRelease: async (environment) => forceRelease.immediate(environment),
      close: async () => void db.close(),
    },
    options,
  );
}
