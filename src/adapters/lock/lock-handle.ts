import { CutoverError } from '../../core/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Fence, LockHandle, LockInfo } from '../../ports/lock.js';
import { describeHolder } from './lock-row.js';

/** The statements a handle needs; each changes the row only while `ownerId` still holds it. */
export interface HeldRowStore {
  renew(environment: string, ownerId: string, heartbeatAt: string, expiresAt: string): Promise<boolean>;
  setDeploy(environment: string, ownerId: string, deployId: string): Promise<boolean>;
  remove(environment: string, ownerId: string): Promise<void>;
  current(environment: string): Promise<LockInfo | undefined>;
}

type HandleState = 'held' | 'lost' | 'released';

/**
 * A held lock with its heartbeat. The timer is unref'd so that holding a lock never keeps a
 * process alive; a holder that stalls past the ttl finds out through `assertHeld`. A beat is
 * skipped while the one before it is still waiting for the store.
 */
export function createLockHandle(
  store: HeldRowStore,
  clock: Clock,
  acquired: LockInfo,
  fence: Fence,
  takenOver: LockInfo | null,
  ttlMs: number,
  onSettled: () => void,
): LockHandle {
  const { environment } = acquired;
  const ownerId = acquired.owner.id;
  let info = acquired;
  let state: HandleState = 'held';
  let beating = false;

  const settle = (next: HandleState) => {
    state = next;
    clearInterval(timer);
    onSettled();
  };

  const renew = async (): Promise<boolean> => {
    if (state !== 'held') return false;
    const now = clock.now();
    const heartbeat_at = now.toISOString();
    const expires_at = new Date(now.getTime() + ttlMs).toISOString();
    const renewed = await store.renew(environment, ownerId, heartbeat_at, expires_at);
    // released (or found lost) while the store answered: that verdict stands
    if (state !== 'held') return false;
    if (renewed) {
      info = { ...info, heartbeat_at, expires_at };
      return true;
    }
    settle('lost');
    return false;
  };

  const lostError = async (): Promise<CutoverError> => {
    if (state === 'released')
      return new CutoverError('E_LOCK_LOST', `the lock on ${environment} was already released`, {
        environment,
      });
    const holder = await store.current(environment);
    const now = holder ? `it is now held by ${describeHolder(holder)}` : 'it was released by someone else';
    return new CutoverError('E_LOCK_LOST', `lost the lock on ${environment}: ${now}`, {
      environment,
      holder: holder ?? null,
    });
  };

  const timer = setInterval(
    () => {
      if (beating) return;
      beating = true;
      renew()
        // the store stayed busy or away: the next beat tries again
        .catch(() => undefined)
        .finally(() => (beating = false));
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();

  return {
    get info() {
      return info;
    },
    fence,
    takenOver,
    async setDeploy(deployId) {
      if (state === 'held' && (await store.setDeploy(environment, ownerId, deployId))) {
        info = { ...info, owner: { ...info.owner, deploy_id: deployId } };
        return;
      }
      if (state === 'held') settle('lost');
      throw await lostError();
    },
    async assertHeld() {
      if (!(await renew())) throw await lostError();
    },
    async release() {
      if (state === 'released') return;
      settle('released');
      await store.remove(environment, ownerId);
    },
  };
}
