import { hostname } from 'node:os';
import { describe } from 'node:test';
import type { Clock } from '../../../src/ports/clock.js';
import type { EnvironmentLocks, LockOwner } from '../../../src/ports/lock.js';
import { describeLockExclusion } from './lock-exclusion.js';
import { describeLockFencing } from './lock-fencing.js';
import { describeLockTakeover } from './lock-takeover.js';

export interface LockStoreOptions {
  /** stamps, expiries and the wait deadline; the system clock when absent */
  clock?: Clock;
  /** whether a pid on this host runs; `kill(pid, 0)` when absent */
  isProcessAlive?: (pid: number) => boolean;
  /** milliseconds between attempts while waiting */
  pollMs?: number;
}

/** One fresh backing store per test; `open` gives a store on it, as one more process would have. */
export interface LocksHarness {
  open(options?: LockStoreOptions): EnvironmentLocks;
  /** closes every store `open` gave and removes the backing store */
  cleanup(): Promise<void>;
}

export type LocksFactory = () => Promise<LocksHarness>;

/**
 * The behaviour every EnvironmentLocks adapter must have (ports/lock.ts): one holder per
 * environment across stores, E_LOCK_HELD naming it, release and force-release, takeover of an
 * expired or dead holder who then gets E_LOCK_LOST, waiting, the heartbeat, fencing tokens.
 *
 * @example describeLocksContract('sqlite', async () => sqliteLocksHarness(tmp));
 */
export function describeLocksContract(name: string, factory: LocksFactory): void {
  describe(`Locks contract: ${name}`, () => {
    describeLockExclusion(factory);
    describeLockTakeover(factory);
    describeLockFencing(factory);
  });
}

export async function withLocks(factory: LocksFactory, body: (h: LocksHarness) => Promise<void>) {
  const harness = await factory();
  try {
    await body(harness);
  } finally {
    await harness.cleanup();
  }
}

/** A clock that moves only when told to. */
export function fakeClock(iso = '2026-03-01T10:00:00.000Z'): Clock & { advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

/** An owner on this machine (its pid is checked) … */
export const here = (user: string, pid = process.pid): Omit<LockOwner, 'id'> => ({
  user,
  host: hostname(),
  pid,
  command: 'cutover deploy',
  deploy_id: null,
});

/** … and one on another machine (its pid means nothing here). */
export const elsewhere = (user: string, pid = 4242): Omit<LockOwner, 'id'> => ({
  ...here(user, pid),
  host: 'build-7',
});

export const TTL = { ttlMs: 30_000 };
