import { hostname } from 'node:os';
import { describeHolder, goneReason, isProcessAlive } from '../adapters/lock/lock-row.js';
import { applyEnvironmentOf } from '../core/environments.js';
import { planDeploy } from '../core/plan/plan-deploy.js';
import { formatDuration } from '../core/schema/duration.js';
import type { Strategy } from '../core/schema/strategy.js';
import type { DeployInput } from '../executor/deploy-request.js';
import { gatherPlanInput } from '../executor/gather-plan.js';
import type { OnInterrupted } from '../executor/recover.js';
import { queuedTrainInput } from '../executor/session/queued-train.js';
import type { SessionContext } from '../executor/session/session.js';
import type { LoadedChangeset } from '../inputs/load-inputs.js';

/** What a plan is asked, exactly as the deploy would be. */
export interface PlanArgs {
  strategy: Strategy | undefined;
  changesets: LoadedChangeset[];
  queued: boolean;
  environment: string;
  waitMs: number;
  onInterrupted: OnInterrupted;
}

export type DeployPlan = ReturnType<typeof planDeploy>;

/** The deploy's input as `deploy` would make it; undefined when --queued finds nothing queued. */
async function inputOf(
  ctx: SessionContext,
  args: PlanArgs,
  environment: string,
): Promise<DeployInput | undefined> {
  if (!args.queued) {
    const [first, ...more] = args.changesets;
    return { ...first!, more, strategy: args.strategy!, environment };
  }
  const window = await ctx.queue().window(environment);
  return window && queuedTrainInput(window, args.strategy, environment);
}

/** A live holder of the lock makes a deploy fail or wait: said, not acted on. */
async function lockNotes(ctx: SessionContext, environment: string, waitMs: number): Promise<string[]> {
  const now = new Date();
  const live = (await ctx.locks().status(environment)).filter(
    (info) => !goneReason(info, now, { hostname: hostname(), isProcessAlive }),
  );
  const then = waitMs > 0 ? `wait up to ${formatDuration(waitMs)} for it` : 'fail at once with E_LOCK_HELD';
  return live.map(
    (info) => `${environment} is locked by ${describeHolder(info)}: a deploy now would ${then}`,
  );
}

/**
 * `plan`: the timeline the deploy would follow, computed from what is read now; nothing is
 * written. `ctx` must be a reading app's (its journal refuses appends, its target is only peeked
 * at). Undefined when `queued` finds nothing queued.
 */
export async function planOf(ctx: SessionContext, args: PlanArgs): Promise<DeployPlan | undefined> {
  const env = ctx.environment(args.environment);
  const input = await inputOf(ctx, args, env.name);
  if (!input) return undefined;
  const applyTo = applyEnvironmentOf(env, input.strategy.mode);
  const before = await lockNotes(ctx, applyTo, args.waitMs);
  return planDeploy(await gatherPlanInput(ctx, input, { onInterrupted: args.onInterrupted, before }));
}
