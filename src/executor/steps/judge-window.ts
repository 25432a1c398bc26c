import { judgeObservation } from '../../core/analysis.js';
import type { Analysis } from '../../core/model/analysis.js';
import type { DeployState } from '../../core/deploy-state.js';
import { stableBeside } from '../../core/routing-plan.js';
import type { ExecutorContext } from '../context.js';

/**
 * Reads what the new version did over its observation window (and, when a stable version served
 * beside it, what that one did over the same window) and judges it with the strategy's analysis.
 * An extended observation is judged over all of its windows: more requests is the point of it.
 *
 * @param extensions how many times this observation was already extended
 */
export async function judgeWindow(
  ctx: ExecutorContext,
  state: DeployState,
  observeMs: number,
  extensions: number,
): Promise<Analysis> {
  const req = state.request!;
  const policy = req.strategy.analysis;
  const metrics = ctx.metrics(req.apply_environment);
  const digest = state.pushedDigest!;
  const windowMs = observeMs * (extensions + 1);
  const snapshot = await metrics.snapshot(digest, windowMs, policy.min_requests);
  const requests = await metrics.requests(digest, windowMs);
  const stableDigest = stableBeside(state.currentTarget ?? state.previousTarget, digest);
  const stable = stableDigest === null ? null : await metrics.requests(stableDigest, windowMs);
  return judgeObservation({
    policy,
    canary: { snapshot, requests },
    stable,
    baseline: { snapshot: state.baseline!, requests: state.baselineRequests ?? null },
    extensions,
  });
}
