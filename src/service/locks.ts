import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { goneReason, isProcessAlive } from '../adapters/lock/lock-row.js';
import { environmentNames } from '../core/environments.js';
import { CutoverError } from '../core/errors.js';
import type { LockInfo } from '../ports/lock.js';
import type { App } from '../cli/app.js';

/** Reads the locks without creating the state dir: no locks.db means nothing was ever locked. */
export async function readLocks(app: App, environment?: string): Promise<LockInfo[]> {
  if (app.config.state.type === 'sqlite' && !existsSync(join(app.stateDir, 'locks.db'))) return [];
  return app.locks().status(environment);
}

/** Why the next acquisition would take the lock over without waiting, or null while it holds. */
export function staleness(info: LockInfo): 'expired' | 'dead' | null {
  return goneReason(info, new Date(), { hostname: hostname(), isProcessAlive }) ?? null;
}

/**
 * The environments a live cutover process holds the lock of. Every verb that works on a deploy
 * holds the lock of the environment it applies to (and settles what was left there first), so a
 * deploy with work left is `running` while its environment is in this set, `interrupted` when not
 * (core/deploy-phase.ts): the journal alone cannot tell a slow executor from a dead one.
 */
export async function lockedEnvironments(app: App): Promise<Set<string>> {
  const live = (await readLocks(app)).filter((info) => staleness(info) === null);
  return new Set(live.map((info) => info.environment));
}

/** A lock row proves its environment existed; without one, a typo must not read as "free". */
export function checkEnvironment(app: App, environment: string): void {
  const known = environmentNames(app.config);
  if (!known.includes(environment))
    throw new CutoverError(
      'E_INVALID_INPUT',
      `unknown environment "${environment}" (known: ${known.join(', ')})`,
    );
}

/** `lock status`: who holds each environment's lock (or one's), and whether the holder is gone. */
export async function lockStatus(
  app: App,
  environment?: string,
): Promise<Array<LockInfo & { stale: 'expired' | 'dead' | null }>> {
  const locks = await readLocks(app, environment);
  if (environment !== undefined && locks.length === 0) checkEnvironment(app, environment);
  return locks.map((info) => ({ ...info, stale: staleness(info) }));
}
