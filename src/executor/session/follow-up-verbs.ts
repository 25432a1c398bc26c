import { assertNever } from '../../core/errors.js';
import { foldEvents } from '../../core/fold-deploy.js';
import type { DeployResult } from '../../core/schema/result.js';
import type { Strategy } from '../../core/schema/strategy.js';
import { abortCanary, approveManual, promoteCanary, rejectManual } from '../follow-ups.js';
import { requireDeploy } from '../require-deploy.js';
import { rollbackDeploy } from '../rollback-deploy.js';
import { withEnvironment, type SessionContext, type SessionPolicy } from './session.js';

/** What an operator asks of a finished deploy, one verb each. */
export type FollowUp =
  | { verb: 'promote' }
  | { verb: 'abort'; reason: string }
  | { verb: 'approve'; strategy: Strategy; newDeployId: string }
  | { verb: 'reject' }
  | { verb: 'rollback'; reason: string; force: boolean };

/**
 * Runs `followUp` on the deploy `id` names, holding the lock of the environment it changes: the
 * deploy's own, or for approve the one it waits to ship to. Returns the deploy's result (for
 * approve, the follow-up deploy's); none for reject.
 */
export async function runFollowUp(
  ctx: SessionContext,
  id: string,
  followUp: FollowUp,
  policy: SessionPolicy,
): Promise<{ deployId: string; result: DeployResult | undefined }> {
  const deployId = await requireDeploy(ctx.journal, id);
  const req = foldEvents(deployId, await ctx.journal.rows(deployId)).request!;
  const environment = followUp.verb === 'approve' ? req.environment : req.apply_environment;
  const result = await withEnvironment(
    ctx,
    environment,
    {
      ...policy,
      command: followUp.verb,
      reason: `${followUp.verb} ${deployId}`,
      deployId,
      // rollback is also how a failed rollback is finished, so it acts on such an environment
      afterFailedRecovery: followUp.verb === 'rollback',
    },
    () => act(ctx, deployId, followUp),
  );
  return { deployId, result };
}

async function act(
  ctx: SessionContext,
  deployId: string,
  followUp: FollowUp,
): Promise<DeployResult | undefined> {
  switch (followUp.verb) {
    case 'promote':
      return promoteCanary(ctx, deployId);
    case 'abort':
      return abortCanary(ctx, deployId, followUp.reason);
    case 'approve':
      return approveManual(ctx, deployId, followUp.strategy, followUp.newDeployId);
    case 'reject':
      await rejectManual(ctx, deployId);
      return undefined;
    case 'rollback':
      return rollbackDeploy(ctx, deployId, followUp);
    default:
      return assertNever(followUp);
  }
}
