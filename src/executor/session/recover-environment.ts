import { dueDeadline } from '../../core/deadlines.js';
import { decide } from '../../core/decider.js';
import type { DeployResult } from '../../core/schema/result.js';
import type { ExecutorContext } from '../context.js';
import { driveDeploy } from '../drive-deploy.js';
import { rollbackDeploy } from '../rollback-deploy.js';
import { unreconciledHosts } from '../../core/host-state.js';
import { deadlineDueIn } from '../pending-work.js';
import { openDeploys } from '../open-deploys.js';
import { findInterrupted, recoverDeploy, type OnInterrupted } from '../recover.js';

/** Interrupted deploys first (oldest first), then deadlines of finished ones. */
export async function recoverEnvironment(
  ctx: ExecutorContext,
  environment: string,
  onInterrupted: OnInterrupted,
): Promise<DeployResult[]> {
  const results: DeployResult[] = [];
  // One read of the journal for both passes: recovering a deploy updates its recorder in place.
  const deploys = await openDeploys(ctx);
  for (const rec of findInterrupted(deploys, environment))
    results.push(await recoverDeploy(ctx, rec, onInterrupted));
  for (const rec of deploys) {
    const due = deadlineDueIn(rec, environment, ctx.clock.now());
    if (!due) continue;
    ctx.progress(
      `cutover: deploy ${rec.deployId}: ${due.name} deadline passed at ${due.deadline}; ${due.action}`,
    );
    await rec.record({ type: 'DEADLINE_FIRED', ...due });
    if (due.action !== 'reject') results.push(await driveDeploy(ctx, rec));
  }
  // Hosts a rollback could not reach: its rollback is run again (it restores only those hosts'
  // changes, newest first); hosts still unreachable stay unreconciled and the verb is refused.
  for (const rec of deploys) {
    const hosts = unreconciledHosts(rec.state);
    if (rec.state.request?.apply_environment !== environment || hosts.length === 0) continue;
    ctx.progress(`cutover: deploy ${rec.deployId} left ${hosts.join(', ')} unreconciled; putting them back`);
    results.push(
      await rollbackDeploy(ctx, rec.deployId, { reason: `reconcile ${hosts.join(', ')}`, force: false }),
    );
  }
  return results;
}

/** Environments where a deploy has work left or a deadline due: where `recover` without --env looks. */
export async function environmentsToRecover(ctx: ExecutorContext): Promise<string[]> {
  const now = ctx.clock.now();
  const found = new Set<string>();
  for (const { state } of await openDeploys(ctx)) {
    const req = state.request!;
    if (decide(state).kind !== 'done' || unreconciledHosts(state).length > 0)
      found.add(req.apply_environment);
    const due = dueDeadline(state, now);
    if (due) found.add(due.name === 'approval' ? req.environment : req.apply_environment);
  }
  return [...found].sort();
}
