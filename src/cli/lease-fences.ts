import type { ExecutorContext } from '../executor/context.js';
import type { Fence } from '../ports/lock.js';

/**
 * The fencing token of each environment's lease held in this process, for the target adapters:
 * the session sets `ctx.fence` when it takes a lease, and every change the target then sends to
 * the environment's runtime carries it (runtime/daemon/fence-book.ts). One lease per environment
 * at a time, so contexts running side by side (several deploys in one process) never mix them.
 */
export class LeaseFences {
  private readonly held = new Map<string, Fence>();

  /** what the target adapters read: the lease this process holds on `environment`, if any */
  readonly current = (environment: string): Fence | undefined => this.held.get(environment);

  /** Makes `ctx.fence` read and write this process's leases. */
  attach<C extends object>(ctx: C): C & Pick<ExecutorContext, 'fence'> {
    let mine: Fence | undefined;
    return Object.defineProperty(ctx, 'fence', {
      enumerable: true,
      get: () => mine,
      set: (fence: Fence | undefined) => {
        if (mine && this.held.get(mine.environment) === mine) this.held.delete(mine.environment);
        mine = fence;
        if (fence) this.held.set(fence.environment, fence);
      },
    });
  }
}
