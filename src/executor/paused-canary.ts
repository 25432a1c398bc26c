import { CutoverError } from '../core/errors.js';
import type { ExecutorContext } from './context.js';
import { isPausedCanary, openDeploys } from './open-deploys.js';

/**
 * A canary left at a step still owns its environment: its promote, abort, deadline and rollback
 * all act on the snapshot it took. A deploy on top would be undone by any of them, so it is
 * refused until the canary is promoted or aborted (Argo Rollouts likewise finishes or aborts a
 * paused rollout before the next revision takes over).
 *
 * @param settled deploys that will have ended by then (`cutover plan` asks before their
 *   deadlines are applied, which a deploy does first)
 */
export async function assertNoPausedCanary(
  ctx: ExecutorContext,
  environment: string,
  settled: ReadonlySet<string> = new Set(),
): Promise<void> {
  for (const { state: s } of await openDeploys(ctx)) {
    if (settled.has(s.deployId) || s.request!.apply_environment !== environment || !isPausedCanary(s))
      continue;
    throw new CutoverError(
      'E_WRONG_STATE',
      `${environment} has canary deploy ${s.deployId} (${s.request!.tag}) paused at ${s.canary!.percent} % since ${s.finishedAt}; ` +
        `promote or abort it first (cutover promote ${s.deployId} | cutover abort ${s.deployId})`,
      { environment, deploy_id: s.deployId },
    );
  }
}
