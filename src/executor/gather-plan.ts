import type { PlanInput } from '../core/plan/plan-deploy.js';
import type { FlagEnvironmentState } from '../core/model/flag.js';
import type { ExecutorContext } from './context.js';
import { buildDeployRequest, type DeployInput } from './deploy-request.js';
import { assertNoPausedCanary } from './paused-canary.js';
import { findPendingWork } from './pending-work.js';
import { gatherPreflight } from './preflight-checks.js';
import type { OnInterrupted } from './recover.js';

/**
 * Reads, in the order a deploy would, everything its plan is computed from: the request it
 * would journal (tags stamped now), what it would settle first, its preflight verdicts, each
 * batch's flag and what serves now. Nothing is written: `ctx` may be a reading app's, whose
 * journal refuses appends and whose target may only be peeked at.
 */
export async function gatherPlanInput(
  ctx: ExecutorContext,
  input: DeployInput,
  options: { onInterrupted: OnInterrupted; before?: string[] },
): Promise<PlanInput> {
  const request = buildDeployRequest(ctx, input);
  const environment = request.apply_environment;
  const target = ctx.environment(environment).target;
  const pending = await findPendingWork(ctx, environment, options.onInterrupted);
  await assertNoPausedCanary(ctx, environment, pending.settled);
  const found = await gatherPreflight(ctx, request, request.train !== undefined);

  const flags: Record<string, FlagEnvironmentState | null> = {};
  for (const { changeset } of request.train ?? [request]) {
    const name = changeset.feature_flag;
    // An unreachable store is already a failing check; the plan then shows the flag as unknown.
    flags[name] =
      (await ctx
        .flags(environment)
        .get(name, environment)
        .catch(() => undefined)) ?? null;
  }
  return {
    request,
    checks: found.checks,
    baseline: found.baseline,
    serving: await ctx.target(environment).peek(),
    flags,
    healthTimeoutMs: target.health_timeout,
    before: [...(options.before ?? []), ...pending.notes],
  };
}
