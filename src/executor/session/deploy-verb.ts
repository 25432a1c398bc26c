import { applyEnvironmentOf } from '../../core/environments.js';
import type { DeployResult } from '../../core/schema/result.js';
import type { Strategy } from '../../core/schema/strategy.js';
import type { DeployInput } from '../deploy-request.js';
import { driveDeploy } from '../drive-deploy.js';
import { startDeploy } from '../start-deploy.js';
import { takeQueuedTrain } from './queued-train.js';
import { withEnvironment, type SessionContext, type SessionPolicy } from './session.js';

/** What `cutover deploy` was asked: changesets read and checked, or the queued train. */
export interface DeployOrder extends SessionPolicy {
  deployId: string;
  environment: string;
  /** undefined only with `queued`: the one the submissions agree on */
  strategy: Strategy | undefined;
  /** the changesets to deploy, in order (a train when more than one); empty with `queued` */
  changesets: Array<{ changeset: DeployInput['changeset']; baseDir: string }>;
  queued: boolean;
}

export interface DeployOutcome {
  result: DeployResult;
  /** the environment the deploy changed: its own, or for a manual one where it waits for approval */
  applyEnvironment: string;
}

/**
 * `cutover deploy`: takes the lock of the environment the deploy changes, settles what is left
 * there (see withEnvironment), journals the request and runs the deploy to its end. Undefined
 * when `queued` finds nothing queued.
 */
export async function runDeploy(ctx: SessionContext, order: DeployOrder): Promise<DeployOutcome | undefined> {
  const env = ctx.environment(order.environment);
  // A queued train without --strategy cannot be manual (queuedTrainInput refuses it): it changes env.
  const applyEnvironment = order.strategy ? applyEnvironmentOf(env, order.strategy.mode) : env.name;
  const { deployId } = order;
  const result = await withEnvironment(
    ctx,
    applyEnvironment,
    { ...order, command: 'deploy', reason: `deploy to ${env.name}`, deployId },
    async ({ lock, takeover }) => {
      const input = order.queued
        ? await takeQueuedTrain(ctx, env.name, order.strategy, deployId)
        : inputOf(order, env.name);
      if (!input) return undefined;
      const rec = await startDeploy(ctx, input, deployId).catch(async (err: unknown) => {
        if (order.queued) await ctx.queue().unclaim(deployId);
        throw err;
      });
      if (takeover) await rec.record(takeover);
      await lock.setDeploy(deployId);
      const req = rec.state.request!;
      const what = req.train
        ? `a train of ${req.train.length} changesets`
        : `${req.changeset.service} ${req.tag}`;
      ctx.progress(`cutover: deploy ${deployId} — ${what} → ${req.environment} (${req.strategy.mode})`);
      return driveDeploy(ctx, rec);
    },
  );
  return result && { result, applyEnvironment };
}

function inputOf(order: DeployOrder, environment: string): DeployInput {
  const [first, ...more] = order.changesets;
  return { ...first!, more, strategy: order.strategy!, environment };
}
