import { CutoverError } from '../core/errors.js';
import type { DeployResult } from '../core/schema/result.js';
import type { Strategy } from '../core/schema/strategy.js';
import type { ExecutorContext } from './context.js';
import { driveDeploy } from './drive-deploy.js';
import { DeployRecorder } from './recorder.js';
import { prepareDeploy, recordDeploy } from './start-deploy.js';

async function open(ctx: ExecutorContext, deployId: string): Promise<DeployRecorder> {
  const rec = await DeployRecorder.open(ctx, deployId);
  if (!rec.state.request) throw new CutoverError('E_NOT_FOUND', `no deploy with id "${deployId}"`);
  return rec;
}

function wrongState(deployId: string, verb: string, why: string): CutoverError {
  return new CutoverError('E_WRONG_STATE', `cannot ${verb} deploy ${deployId}: ${why}`);
}

/** A canary left at a step: nothing failed, not promoted yet. */
function assertPausedCanary(rec: DeployRecorder, verb: string): void {
  const s = rec.state;
  if (s.request!.strategy.mode !== 'canary')
    throw wrongState(s.deployId, verb, `it is a ${s.request!.strategy.mode} deploy, not a canary`);
  if (s.outcome === 'failed') throw wrongState(s.deployId, verb, 'it failed and was rolled back');
  if (s.outcome !== 'succeeded') throw wrongState(s.deployId, verb, 'it is still running');
  if (s.promoted) throw wrongState(s.deployId, verb, 'it was already promoted to 100 %');
}

export async function promoteCanary(ctx: ExecutorContext, deployId: string): Promise<DeployResult> {
  const rec = await open(ctx, deployId);
  assertPausedCanary(rec, 'promote');
  await rec.record({ type: 'PROMOTE_REQUESTED', by: ctx.actor });
  return driveDeploy(ctx, rec);
}

export async function abortCanary(
  ctx: ExecutorContext,
  deployId: string,
  reason: string,
): Promise<DeployResult> {
  const rec = await open(ctx, deployId);
  assertPausedCanary(rec, 'abort');
  await rec.record({ type: 'ABORT_REQUESTED', by: ctx.actor, reason });
  return driveDeploy(ctx, rec);
}

function assertPendingApproval(rec: DeployRecorder, verb: string): void {
  const s = rec.state;
  if (s.request!.strategy.mode !== 'manual')
    throw wrongState(
      s.deployId,
      verb,
      `it is a ${s.request!.strategy.mode} deploy; only manual deploys await approval`,
    );
  if (s.outcome !== 'succeeded')
    throw wrongState(s.deployId, verb, s.outcome === 'failed' ? 'it failed' : 'it is still running');
  if (s.approval)
    throw wrongState(
      s.deployId,
      verb,
      `it was already ${s.approval.state} by ${s.approval.by} at ${s.approval.at}`,
    );
}

/**
 * Ships exactly the digest the manual deploy put on staging to its target environment, as a new
 * deploy (its own preflight, baseline and rollback), and records who approved it.
 */
export async function approveManual(
  ctx: ExecutorContext,
  deployId: string,
  strategy: Strategy,
  newDeployId: string,
): Promise<DeployResult> {
  const { mode } = strategy;
  if (mode === 'manual')
    throw new CutoverError('E_USAGE', 'an approved deploy ships with fast-track or canary, not manual');
  const rec = await open(ctx, deployId);
  assertPendingApproval(rec, 'approve');
  const req = rec.state.request!;
  assertFourEyes(ctx, deployId, req);
  // Every check the follow-up deploy makes runs before the approval is journaled: a refused
  // approve (production busy with a paused canary) leaves the manual deploy awaiting, as it was.
  const request = await prepareDeploy(ctx, {
    changeset: req.changeset,
    baseDir: req.base_dir,
    strategy,
    environment: req.environment,
    reuse: {
      deployId,
      tag: req.tag,
      digest: rec.state.pushedDigest!,
      layoutDir: rec.state.build!.layout_dir,
    },
  });
  await rec.record({
    type: 'APPROVAL_RECORDED',
    decision: 'approved',
    by: ctx.actor,
    strategy: mode,
    follow_up_deploy_id: newDeployId,
  });
  const next = await recordDeploy(ctx, request, newDeployId);
  ctx.progress(
    `cutover: approved by ${ctx.actor}; deploy ${newDeployId} ships ${req.tag} to ${req.environment}`,
  );
  return driveDeploy(ctx, next);
}

export async function rejectManual(ctx: ExecutorContext, deployId: string): Promise<void> {
  const rec = await open(ctx, deployId);
  assertPendingApproval(rec, 'reject');
  await rec.record({
    type: 'APPROVAL_RECORDED',
    decision: 'rejected',
    by: ctx.actor,
    strategy: null,
    follow_up_deploy_id: null,
  });
}

/**
 * Four eyes: where the environment asks for it, the one who started a deploy cannot also let it
 * through. Checked before anything is journaled, so a refused approve changes nothing.
 */
function assertFourEyes(
  ctx: ExecutorContext,
  deployId: string,
  req: NonNullable<DeployRecorder['state']['request']>,
): void {
  if (!ctx.environment(req.environment).four_eyes || req.requested_by !== ctx.actor) return;
  throw new CutoverError(
    'E_SELF_APPROVAL',
    `${ctx.actor} started deploy ${deployId} and cannot approve it: ${req.environment} has four_eyes: true, someone else must approve`,
  );
}
