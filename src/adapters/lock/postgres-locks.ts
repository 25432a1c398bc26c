import type { EnvironmentLocks } from '../../ports/lock.js';
import { openStore } from '../postgres/open-store.js';
import type { PostgresConnection } from '../postgres/postgres-pool.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { toInfo, toRow, type LockRow } from './lock-row.js';
import { locksOn, type LocksOptions } from './lock-store.js';

export interface PostgresLocksOptions extends LocksOptions {
  /** `read` (lock status): nothing is migrated, and the server refuses an acquisition */
  access?: StateAccess;
}

/** `user` is a reserved word in PostgreSQL: the column is `user_name`, read back as `user`. */
const SELECT = `SELECT environment, owner_id, user_name AS "user", host, pid, command, deploy_id, reason,
  acquired_at, heartbeat_at, expires_at FROM cutover.locks`;

/**
 * Environment locks in PostgreSQL, shared by every executor on the database. An attempt locks the
 * environment's row in `cutover.fences` (created on first use, never deleted) for its
 * transaction, so attempts on one environment take turns while others go on; a successful one
 * raises the token there and writes the lease with it, as a forced release does. The journal reads
 * the same row to refuse a stale token (docs/architecture.md#the-postgresql-store).
 */
export function openPostgresLocks(
  connection: PostgresConnection,
  options: PostgresLocksOptions = {},
): EnvironmentLocks {
  const access = options.access ?? 'write';
  const { query, transaction, close } = openStore(connection, { access, unavailable: 'E_STATE_UNAVAILABLE' });

  return locksOn(
    'postgres',
    {
      attempt: (environment, wanted, mayReplace) =>
        transaction(async (db) => {
          await db.query(
            'INSERT INTO cutover.fences (environment, token) VALUES ($1, 0) ON CONFLICT (environment) DO NOTHING',
            [environment],
          );
          const fence = await db.query<{ token: string }>(
            'SELECT token FROM cutover.fences WHERE environment = $1 FOR UPDATE',
            [environment],
          );
          const found = (await db.query<LockRow>(`${SELECT} WHERE environment = $1`, [environment])).rows[0];
          const holder = found && toInfo(found);
          if (holder && !mayReplace(holder)) return { ok: false, holder };
          const token = Number(fence.rows[0]!.token) + 1;
          const row = toRow(wanted);
          await db.query('UPDATE cutover.fences SET token = $2 WHERE environment = $1', [environment, token]);
          await db.query(
            `INSERT INTO cutover.locks (environment, owner_id, user_name, host, pid, command, deploy_id, reason,
               acquired_at, heartbeat_at, expires_at, token)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (environment) DO UPDATE SET owner_id = excluded.owner_id,
               user_name = excluded.user_name, host = excluded.host, pid = excluded.pid,
               command = excluded.command, deploy_id = excluded.deploy_id, reason = excluded.reason,
               acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
               expires_at = excluded.expires_at, token = excluded.token`,
            [
              environment,
              row.owner_id,
              row.user,
              row.host,
              row.pid,
              row.command,
              row.deploy_id,
              row.reason,
              row.acquired_at,
              row.heartbeat_at,
              row.expires_at,
              token,
            ],
          );
          const identity = await db.query<{ id: string }>('SELECT id FROM cutover.store_identity');
          return { ok: true, token, store: identity.rows[0]!.id, replaced: holder };
        }),
      async renew(environment, ownerId, heartbeatAt, expiresAt) {
        const renewed = await query(
          'cutover.locks-renew',
          `UPDATE cutover.locks SET heartbeat_at = $3, expires_at = $4
            WHERE environment = $1 AND owner_id = $2 RETURNING 1`,
          [environment, ownerId, heartbeatAt, expiresAt],
        );
        return renewed.length === 1;
      },
      async setDeploy(environment, ownerId, deployId) {
        const set = await query(
          'cutover.locks-set-deploy',
          'UPDATE cutover.locks SET deploy_id = $3 WHERE environment = $1 AND owner_id = $2 RETURNING 1',
          [environment, ownerId, deployId],
        );
        return set.length === 1;
      },
      async remove(environment, ownerId) {
        await query(
          'cutover.locks-remove',
          'DELETE FROM cutover.locks WHERE environment = $1 AND owner_id = $2',
          [environment, ownerId],
        );
      },
      async current(environment) {
        const [row] = await query<LockRow>('cutover.locks-one', `${SELECT} WHERE environment = $1`, [
          environment,
        ]);
        return row && toInfo(row);
      },
      async status(environment) {
        const rows =
          environment === undefined
            ? await query<LockRow>('cutover.locks-all', `${SELECT} ORDER BY environment`)
            : await query<LockRow>('cutover.locks-one', `${SELECT} WHERE environment = $1`, [environment]);
        return rows.map(toInfo);
      },
      forceRelease: (environment) =>
        transaction(async (db) => {
          // the fence row first, as an acquisition locks it: the other order could deadlock
          await db.query('SELECT token FROM cutover.fences WHERE environment = $1 FOR UPDATE', [environment]);
          const deleted = await db.query<LockRow>(
            `DELETE FROM cutover.locks WHERE environment = $1
              RETURNING environment, owner_id, user_name AS "user", host, pid, command, deploy_id, reason,
                acquired_at, heartbeat_at, expires_at`,
            [environment],
          );
          const row = deleted.rows[0];
          if (row)
            await db.query('UPDATE cutover.fences SET token = token + 1 WHERE environment = $1', [
              environment,
            ]);
          return row && toInfo(row);
        }),
      close,
    },
    options,
  );
}
