import { judgeObservation, judgeUnavailable } from '../../core/analysis.js';
import { isCutoverError } from '../../core/errors.js';
import type { Shipped } from '../../core/command.js';
import { deployDeadlineAt } from '../../core/deadlines.js';
import type { DeployEvent } from '../../core/events.js';
import type { Analysis } from '../../core/model/analysis.js';
import { stableBeside } from '../../core/routing-plan.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';

/** One observation of the shipped version: a canary step's, or a shipped batch's watch. */
export interface Observation {
  shipped: Shipped;
  observeMs: number;
  /** ISO 8601: the end of the window, when an earlier run already journaled it */
  until: string | undefined;
  /** how many times this observation was already extended for being inconclusive */
  extensions: number;
  /** the event that journals the window's end before the wait */
  start: (until: string) => DeployEvent;
  /** what is observed, for the progress line: `observing the canary at 5 %` */
  what: string;
}

/**
 * Waits out the observation window (only what is left of it after a restart: its end is in the
 * journal, written before the wait), then judges the new version over it. Undefined when the
 * deploy's own deadline comes first: the loop then fires the deadline instead of judging.
 */
export async function observeWindow(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  o: Observation,
): Promise<Analysis | undefined> {
  let until = o.until;
  if (until === undefined) {
    until = new Date(ctx.clock.now().getTime() + o.observeMs).toISOString();
    await rec.record(o.start(until));
  }
  const remaining = Date.parse(until) - ctx.clock.now().getTime();
  ctx.progress(`  ${o.what} for ${Math.max(0, Math.round(remaining / 1000))} s`);
  const cutoff = deployDeadlineAt(rec.state) - ctx.clock.now().getTime();
  if (cutoff < remaining) {
    await ctx.sleep(Math.max(cutoff, 0) + 1);
    return undefined;
  }
  if (remaining > 0) await ctx.sleep(remaining);
  return judgeWindow(ctx, rec, o);
}

/**
 * Reads what the new version did over its observation window (and, when a stable version served
 * beside it, what that one did over the same window) and judges it with the strategy's analysis.
 * An extended observation is judged over all of its windows: more requests is the point of it.
 */
async function judgeWindow(ctx: ExecutorContext, rec: DeployRecorder, o: Observation): Promise<Analysis> {
  const { shipped, extensions } = o;
  const req = rec.state.request;
  const policy = req.strategy.analysis;
  const source = ctx.metrics(req.apply_environment);
  const metrics = source.forService?.(req.changeset.service) ?? source;
  const digest = shipped.release.digest;
  const windowMs = o.observeMs * (extensions + 1);
  const stableDigest = stableBeside(rec.state.currentTarget ?? shipped.previous, digest);
  let read;
  try {
    read = await Promise.all([
      metrics.snapshot(digest, windowMs, policy.min_requests),
      metrics.requests(digest, windowMs),
      stableDigest === null ? null : metrics.requests(stableDigest, windowMs),
    ]);
  } catch (err) {
    // the source is down: nothing is known of the canary, which is never a pass
    if (!isCutoverError(err) || err.code !== 'E_BASELINE_UNAVAILABLE') throw err;
    return judgeUnavailable({ policy, baseline: shipped.baseline, extensions }, err.message);
  }
  const [snapshot, requests, stable] = read;
  return judgeObservation({
    policy,
    canary: { snapshot, requests },
    stable,
    baseline: shipped.baseline,
    extensions,
  });
}
