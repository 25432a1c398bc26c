import type { ExecutorContext } from './context.js';
import { buildDeployRequest, type DeployInput } from './deploy-request.js';
import { assertNoPausedCanary } from './paused-canary.js';
import { DeployRecorder } from './recorder.js';

export type { DeployInput } from './deploy-request.js';

/**
 * Validates everything that can be known before acting (environments, tags, a canary paused
 * where the deploy applies) and journals the request. Invalid input throws here, before the
 * deploy exists, so it leaves no trace to clean up.
 */
export async function startDeploy(
  ctx: ExecutorContext,
  input: DeployInput,
  deployId: string,
): Promise<DeployRecorder> {
  const request = buildDeployRequest(ctx, input);
  await assertNoPausedCanary(ctx, request.apply_environment);
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
