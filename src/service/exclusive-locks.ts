import { CutoverError } from '../core/errors.js';
import type { EnvironmentLocks, LockHandle } from '../ports/lock.js';
import { heldError } from '../adapters/lock/lock-row.js';

/**
 * A lock store that one long-running process (cutover serve, cutover mcp) shares between the
 * requests it serves at once. The stores let a lock already held through the same store be taken
 * again (the CLI's one command per process relies on that), which would let a second request on
 * an environment silently take the first's lease. Here an environment one request holds, or is
 * acquiring, is `E_LOCK_HELD` for every other request of the process, as it is for another
 * process: one deploy per environment holds inside a server too.
 */
export function exclusiveLocks(locks: EnvironmentLocks): EnvironmentLocks {
  /** what this process holds, or is acquiring (null), per environment */
  const inProcess = new Map<string, LockHandle | null>();
  return {
    name: locks.name,
    status: (environment) => locks.status(environment),
    release: (environment) => locks.release(environment),
    close: () => locks.close(),
    async acquire(environment, owner, reason, options) {
      const current = inProcess.get(environment);
      if (current) throw heldError(environment, current.info, 0);
      if (current === null)
        throw new CutoverError(
          'E_LOCK_HELD',
          `environment ${environment} is being locked by another request of this process`,
          { environment },
        );
      inProcess.set(environment, null);
      let handle: LockHandle;
      try {
        handle = await locks.acquire(environment, owner, reason, options);
      } catch (err) {
        inProcess.delete(environment);
        throw err;
      }
      const held: LockHandle = {
        get info() {
          return handle.info;
        },
        fence: handle.fence,
        takenOver: handle.takenOver,
        setDeploy: (deployId) => handle.setDeploy(deployId),
        assertHeld: () => handle.assertHeld(),
        async release() {
          if (inProcess.get(environment) === held) inProcess.delete(environment);
          await handle.release();
        },
      };
      inProcess.set(environment, held);
      return held;
    },
  };
}
