import { hostname } from 'node:os';
import { CutoverError } from '../../core/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { EnvironmentLocks, LockHandle, LockInfo } from '../../ports/lock.js';
import { createLockHandle, type HeldRowStore } from './lock-handle.js';
import { goneReason, heldError, isProcessAlive, newLockInfo } from './lock-row.js';
import { lazyRequire } from '../../lib/lazy-require.js';

const uuid = lazyRequire<typeof import('uuid')>('uuid');

/** `store`: the identity of the store that counts the tokens (Fence.store) */
export type Attempt =
  | { ok: true; token: number; store: string; replaced: LockInfo | undefined }
  | { ok: false; holder: LockInfo };

/** What one lock backend (a SQLite file, a PostgreSQL database) does; the rest is shared. */
export interface LockTable extends HeldRowStore {
  /**
   * In one transaction: reads the environment's holder and, when there is none or
   * `mayReplace(holder)`, writes `wanted` with the environment's next fencing token.
   */
  attempt(environment: string, wanted: LockInfo, mayReplace: (holder: LockInfo) => boolean): Promise<Attempt>;
  status(environment?: string): Promise<LockInfo[]>;
  /** deletes whatever holds the lock and raises its fencing token, in one transaction; what it deleted */
  forceRelease(environment: string): Promise<LockInfo | undefined>;
  close(): Promise<void>;
}

export interface LocksOptions {
  /** stamps and expiries, and the `waitMs` deadline (a frozen test clock must not be given a wait) */
  clock?: Clock;
  /** defaults to `kill(pid, 0)`; tests pass their own */
  isProcessAlive?: (pid: number) => boolean;
  /** this machine's name, compared with a holder's host before its pid is checked */
  hostname?: string;
  /** milliseconds between attempts while waiting */
  pollMs?: number;
}

/**
 * The port's behaviour over a backend's table: who may be replaced (an expired holder, or one on
 * this host whose pid is gone), waiting by polling, the handles and their heartbeats. Expiry is
 * judged by this process's clock, so executors sharing a store need clocks that agree to well
 * within the ttl; the fencing token is what keeps a wrong judgement from corrupting a write.
 */
export function locksOn(name: string, table: LockTable, options: LocksOptions = {}): EnvironmentLocks {
  const clock = options.clock ?? systemClock;
  const liveness = {
    hostname: options.hostname ?? hostname(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
  };
  const pollMs = options.pollMs ?? 150;
  /** Handles this store gave out and that still hold their lock, by owner id. */
  const held = new Map<string, LockHandle>();
  const mayReplace = (holder: LockInfo) =>
    held.has(holder.owner.id) || goneReason(holder, clock.now(), liveness) !== undefined;

  return {
    name,
    async acquire(environment, owner, reason, { ttlMs, waitMs = 0, onWait }) {
      if (!Number.isFinite(ttlMs) || ttlMs <= 0)
        throw new CutoverError('E_INVALID_INPUT', `lock ttl must be a positive duration, got ${ttlMs} ms`);
      const deadline = clock.now().getTime() + waitMs;
      for (let waiting = false; ; waiting = true) {
        const wanted = newLockInfo(environment, { id: uuid().v7(), ...owner }, reason, clock.now(), ttlMs);
        const result = await table.attempt(environment, wanted, mayReplace);
        if (result.ok) {
          const { replaced } = result;
          const takenOver = replaced && !held.has(replaced.owner.id) ? replaced : null;
          const id = wanted.owner.id;
          const fence = { store: result.store, environment, token: result.token };
          const handle = createLockHandle(table, clock, wanted, fence, takenOver, ttlMs, () =>
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
    status: (environment) => table.status(environment),
    release: (environment) => table.forceRelease(environment),
    async close() {
      for (const handle of [...held.values()]) await handle.release().catch(() => undefined);
      await table.close();
    },
  };
}
