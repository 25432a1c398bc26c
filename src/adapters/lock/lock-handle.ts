import { CutoverError } from '../../core/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { LockHandle, LockInfo } from '../../ports/lock.js';
import { describeHolder } from './lock-row.js';

/** The statements a handle needs; each changes the row only while `ownerId` still holds it. */
export interface HeldRowStore {
  renew(environment: string, ownerId: string, heartbeatAt: string, expiresAt: string): boolean;
  setDeploy(environment: string, ownerId: string, deployId: string): boolean;
  remove(environment: string, ownerId: string): void;
  current(environment: string): LockInfo | undefined;
}

type HandleState = 'held' | 'lost' | 'released';

/**
 * A held lock with its heartbeat. The timer is unref'd so that holding a lock never keeps a
 * process alive; a holder that stalls past the ttl finds out through `assertHeld`.
 */
export function createLockHandle(
  store: HeldRowStore,
  clock: Clock,
  acquired: LockInfo,
  takenOver: LockInfo | null,
  ttlMs: number,
  onSettled: () => void,
): LockHandle {
  const { environment } = acquired;
  const ownerId = acquired.owner.id;
  let info = acquired;
  let state: HandleState = 'held';

  const settle = (next: HandleState) => {
    state = next;
    clearInterval(timer);
    onSettled();
  };

  const renew = (): boolean => {
    if (state !== 'held') return false;
    const now = clock.now();
    const heartbeat_at = now.toISOString();
    const expires_at = new Date(now.getTime() + ttlMs).toISOString();
    if (store.renew(environment, ownerId, heartbeat_at, expires_at)) {
      info = { ...info, heartbeat_at, expires_at };
      return true;
    }
    settle('lost');
    return false;
  };

  const lostError = (): CutoverError => {
    if (state === 'released')
      return new CutoverError('E_LOCK_LOST', `the lock on ${environment} was already released`, {
        environment,
      });
    const holder = store.current(environment);
    const now = holder ? `it is now held by ${describeHolder(holder)}` : 'it was released by someone else';
    return new CutoverError('E_LOCK_LOST', `lost the lock on ${environment}: ${now}`, {
      environment,
      holder: holder ?? null,
    });
  };

  const timer = setInterval(
    () => {
      try {
        renew();
      } catch {
        // the database stayed busy past busy_timeout: the next beat tries again
      }
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();

  return {
    get info() {
      return info;
    },
    takenOver,
    async setDeploy(deployId) {
      if (state !== 'held' || !store.setDeploy(environment, ownerId, deployId)) {
        if (state === 'held') settle('lost');
        throw lostError();
      }
      info = { ...info, owner: { ...info.owner, deploy_id: deployId } };
    },
    async assertHeld() {
      if (!renew()) throw lostError();
    },
    async release() {
      if (state === 'released') return;
      store.remove(environment, ownerId);
      settle('released');
    },
  };
}
