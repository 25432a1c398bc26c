import type { ExecutorContext } from './context.js';
import { buildDeployRequest, type DeployInput, type DeployRequest } from './deploy-request.js';
import { assertNoPausedCanary } from './paused-canary.js';
import { DeployRecorder } from './recorder.js';

export type { DeployInput } from './deploy-request.js';

/**
 * Validates everything that can be known before acting (environments, tags, a canary paused
 * where the deploy applies) and returns the request to journal. It journals nothing, so a verb
 * that records something first (approve) checks with it before, and a refusal changes nothing.
 */
export async function prepareDeploy(ctx: ExecutorContext, input: DeployInput): Promise<DeployRequest> {
  const request = buildDeployRequest(ctx, input);
  await assertNoPausedCanary(ctx, request.apply_environment);
  return request;
}

/** Journals a request `prepareDeploy` checked: the deploy exists from here on. */
export async function recordDeploy(
  ctx: ExecutorContext,
  request: DeployRequest,
  deployId: string,
): Promise<DeployRecorder> {
  const rec = await DeployRecorder.start(ctx, deployId, request);
  if (request.train)
    await rec.record({
      type: 'BATCH_START',
      index: 0,
      changeset_id: request.changeset.id,
      tag: request.tag,
    });
  return rec;
}

/**
 * Validates the deploy and journals its request. Invalid input throws before anything is
 * journaled, so it leaves no trace to clean up.
 */
export async function startDeploy(
  ctx: ExecutorContext,
  input: DeployInput,
  deployId: string,
): Promise<DeployRecorder> {
  return recordDeploy(ctx, await prepareDeploy(ctx, input), deployId);
}
