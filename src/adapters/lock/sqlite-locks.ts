import { hostname } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { CutoverError } from '../../core/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { EnvironmentLocks, LockHandle, LockInfo, LockOwner } from '../../ports/lock.js';
import { createLockHandle, type HeldRowStore } from './lock-handle.js';
import {
  goneReason,
  heldError,
  isProcessAlive,
  LOCKS_SCHEMA,
  newLockInfo,
  toInfo,
  toRow,
  type LockRow,
} from './lock-row.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

export interface SqliteLocksOptions {
  /** stamps and expiries, and the `waitMs` deadline (a frozen test clock must not be given a wait) */
  clock?: Clock;
  /** defaults to `kill(pid, 0)`; tests pass their own */
  isProcessAlive?: (pid: number) => boolean;
  /** this machine's name, compared with a holder's host before its pid is checked */
  hostname?: string;
  /** milliseconds between attempts while waiting */
  pollMs?: number;
  /** `read` (lock status) opens without creating or changing anything; acquiring then fails */
  access?: StateAccess;
}

type Attempt = { ok: true; info: LockInfo; takenOver: LockInfo | null } | { ok: false; holder: LockInfo };

/**
 * Environment locks in their own SQLite file (WAL, synchronous FULL), so that a deploy holding
 * one never contends with journal writers. Each attempt is a `BEGIN IMMEDIATE` transaction:
 * two processes never both see the lock free.
 *
 * @example
 * const locks = openSqliteLocks(join(stateDir, 'locks.db'));
 * const lock = await locks.acquire('production', owner, 'deploy 2.4.0', { ttlMs: 30_000 });
 * try { await lock.assertHeld(); … } finally { await lock.release(); }
 */
export function openSqliteLocks(path: string, options: SqliteLocksOptions = {}): EnvironmentLocks {
  const clock = options.clock ?? systemClock;
  const liveness = {
    hostname: options.hostname ?? hostname(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
  };
  const pollMs = options.pollMs ?? 150;
  const db = openStateDatabase(path, LOCKS_SCHEMA, options.access ?? 'write');

  const selectOne = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE environment = ?');
  const upsert = db.prepare<[LockRow]>(
    `INSERT OR REPLACE INTO locks VALUES (@environment, @owner_id, @user, @host, @pid, @command, @deploy_id,
       @reason, @acquired_at, @heartbeat_at, @expires_at)`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM locks WHERE environment = ? AND owner_id = ?');
  const renew = db.prepare<[string, string, string, string]>(
    'UPDATE locks SET heartbeat_at = ?, expires_at = ? WHERE environment = ? AND owner_id = ?',
  );
  const setDeploy = db.prepare<[string, string, string]>(
    'UPDATE locks SET deploy_id = ? WHERE environment = ? AND owner_id = ?',
  );
  const current = (environment: string) => {
    const row = selectOne.get(environment);
    return row && toInfo(row);
  };
  const store: HeldRowStore = {
    renew: (environment, ownerId, heartbeatAt, expiresAt) =>
      renew.run(heartbeatAt, expiresAt, environment, ownerId).changes === 1,
    setDeploy: (environment, ownerId, deployId) =>
      setDeploy.run(deployId, environment, ownerId).changes === 1,
    remove: (environment, ownerId) => void remove.run(environment, ownerId),
    current,
  };
  /** Handles this store gave out and that still hold their lock, by owner id. */
  const held = new Map<string, LockHandle>();

  const attempt = db.transaction((environment: string, wanted: LockInfo): Attempt => {
    const holder = current(environment);
    let takenOver: LockInfo | null = null;
    if (holder && !held.has(holder.owner.id)) {
      if (!goneReason(holder, clock.now(), liveness)) return { ok: false, holder };
      takenOver = holder;
    }
    upsert.run(toRow(wanted));
    return { ok: true, info: wanted, takenOver };
  });

  const tryOnce = (environment: string, owner: Omit<LockOwner, 'id'>, reason: string, ttlMs: number) => {
    const info = newLockInfo(environment, { id: uuidv7(), ...owner }, reason, clock.now(), ttlMs);
    return attempt.immediate(environment, info);
  };

  return {
    name: 'sqlite',
    async acquire(environment, owner, reason, { ttlMs, waitMs = 0, onWait }) {
      if (!Number.isFinite(ttlMs) || ttlMs <= 0)
        throw new CutoverError('E_INVALID_INPUT', `lock ttl must be a positive duration, got ${ttlMs} ms`);
      const deadline = clock.now().getTime() + waitMs;
      for (let waiting = false; ; waiting = true) {
        const result = tryOnce(environment, owner, reason, ttlMs);
        if (result.ok) {
          const id = result.info.owner.id;
          const handle = createLockHandle(store, clock, result.info, result.takenOver, ttlMs, () =>
            held.delete(id),
          );
          held.set(id, handle);
          return handle;
        }
        const left = deadline - clock.now().getTime();
        if (left <= 0) throw heldError(environment, result.holder, waitMs);
        if (!waiting) onWait?.(result.holder);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
      }
    },
    async status(environment) {
      const rows =
        environment === undefined
          ? db.prepare<[], LockRow>('SELECT * FROM locks ORDER BY environment').all()
          : [selectOne.get(environment)].filter((r) => r !== undefined);
      return rows.map(toInfo);
    },
    async release(environment) {
      return db
        .transaction(() => {
          const holder = current(environment);
          if (holder) remove.run(environment, holder.owner.id);
          return holder;
        })
        .immediate();
    },
    async close() {
      for (const handle of [...held.values()]) await handle.release();
      db.close();
    },
  };
}
