import { allBatches } from '../core/batch-state.js';
import { CutoverError } from '../core/errors.js';
import type { DeployResult } from '../core/schema/result.js';
import type { TargetSnapshot } from '../core/model/target.js';
import type { ExecutorContext } from './context.js';
import { driveDeploy } from './drive-deploy.js';
import { DeployRecorder } from './recorder.js';

function refuse(deployId: string, why: string): CutoverError {
  return new CutoverError('E_WRONG_STATE', `cannot roll back deploy ${deployId}: ${why}`);
}

function describe(s: TargetSnapshot): string {
  return s.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ') || 'nothing';
}

function sameServing(a: TargetSnapshot, b: TargetSnapshot): boolean {
  const key = (s: TargetSnapshot) =>
    s.versions
      .filter((v) => v.weight > 0)
      .map((v) => `${v.release.digest}=${v.weight}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/**
 * What has changed the environment since this deploy: a later deploy that applied to it, or
 * something outside cutover (what serves differs from what the deploy left).
 */
async function changedSince(ctx: ExecutorContext, rec: DeployRecorder): Promise<string | null> {
  const env = rec.state.request!.apply_environment;
  for (const d of await ctx.journal.deploys()) {
    if (d.deploy_id === rec.deployId || d.first_at < rec.state.requestedAt!) continue;
    const later = await DeployRecorder.open(ctx, d.deploy_id);
    if (later.state.request?.apply_environment !== env) continue;
    if (allBatches(later.state).some((b) => b.steps.APPLY !== undefined))
      return `deploy ${d.deploy_id} (${later.state.request.tag}, ${d.last_type}) changed ${env} after it`;
  }
  const left = rec.state.currentTarget;
  const now = await ctx.target(env).snapshot();
  if (left && !sameServing(left, now))
    return `${env} now serves ${describe(now)}, not what the deploy left (${describe(left)})`;
  return null;
}

/**
 * `cutover rollback`: puts the environment back as it was before a finished deploy — versions by
 * digest, weights, every flag the deploy set — with the compensations its journal recorded.
 */
export async function rollbackDeploy(
  ctx: ExecutorContext,
  deployId: string,
  options: { reason: string; force: boolean },
): Promise<DeployResult> {
  const rec = await DeployRecorder.open(ctx, deployId);
  const s = rec.state;
  if (!s.request) throw new CutoverError('E_NOT_FOUND', `no deploy with id "${deployId}"`);
  const retry = s.rollback?.status === 'failed';
  if (s.outcome === 'failed' && !retry)
    throw refuse(
      deployId,
      s.rollback ? 'it failed and was already rolled back' : 'it failed before changing anything',
    );
  if (s.outcome === undefined)
    throw refuse(deployId, 'it has not finished (if its executor died: cutover recover)');
  if (retry) ctx.progress(`cutover: its rollback failed before; retrying what did not succeed`);
  const changed = retry ? null : await changedSince(ctx, rec);
  if (changed && !options.force) throw refuse(deployId, `${changed}; use --force to restore it anyway`);
  if (changed) ctx.progress(`cutover: --force: ${changed}`);
  await rec.record({
    type: 'ROLLBACK_REQUESTED',
    by: ctx.actor,
    reason: options.reason,
    force: options.force,
  });
  return driveDeploy(ctx, rec);
}
