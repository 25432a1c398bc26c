import { deployDeadlineAt } from '../../core/deadlines.js';
import { planCanaryStep, planCutover } from '../../core/routing-plan.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { judgeWindow } from './judge-window.js';
import { runStep } from './run-step.js';

function canaryDigest(rec: DeployRecorder): string {
  return rec.state.pushedDigest!;
}

/**
 * Waits out the observation window (only what is left of it after a restart: the deadline is in
 * the journal), then judges the canary's own metrics over that window against the baseline.
 */
export async function runObserve(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  percent: number,
  observeMs: number,
): Promise<void> {
  if (!rec.state.observeUntil) {
    const until = new Date(ctx.clock.now().getTime() + observeMs).toISOString();
    await rec.record({ type: 'OBSERVE_START', percent, observe_ms: observeMs, until });
  }
  const remaining = Date.parse(rec.state.observeUntil!) - ctx.clock.now().getTime();
  ctx.progress(`  observing the canary at ${percent} % for ${Math.max(0, Math.round(remaining / 1000))} s`);
  // The deploy's own deadline cuts the wait short; the loop then fires it instead of judging.
  const cutoff = deployDeadlineAt(rec.state) - ctx.clock.now().getTime();
  if (cutoff < remaining) {
    await ctx.sleep(Math.max(cutoff, 0) + 1);
    return;
  }
  if (remaining > 0) await ctx.sleep(remaining);
  const extensions = (rec.state.canary?.analyses ?? []).filter(
    (a) => a.percent === percent && a.verdict === 'extend',
  ).length;
  const analysis = await judgeWindow(ctx, rec.state, observeMs, extensions);
  ctx.progress(`  analysis: ${analysis.reasons.join('; ')}`);
  await rec.record({ type: 'ANALYSIS_RESULT', percent, ...analysis });
}

/** Moves traffic and the flag together to the next step, so routed users and flagged users stay the same. */
export async function runCanaryStep(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  percent: number,
): Promise<void> {
  const req = rec.state.request!;
  const env = req.apply_environment;
  await runStep(
    rec,
    { type: 'STEP_START', percent },
    'STEP_FAILED',
    async () => {
      const plan = planCanaryStep(rec.state.previousTarget!, canaryDigest(rec), percent);
      await ctx.target(env).route(plan.weights, { groupId: req.changeset.feature_flag });
      await ctx.flags(env).set(req.changeset.feature_flag, env, { state: 'on', percentage: percent });
      ctx.progress(`  canary at ${percent} %, flag ON ${percent} %`);
      return ctx.target(env).snapshot();
    },
    (current) => ({ type: 'STEP_SUCCESS', percent, current }),
  );
}

/** Sends 100 % to the canary, turns the flag fully on, and drains and stops the old version. */
export async function runPromote(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  const req = rec.state.request!;
  const env = ctx.environment(req.apply_environment);
  const target = ctx.target(env.name);
  const plan = planCutover(await target.snapshot(), canaryDigest(rec));
  await runStep(
    rec,
    { type: 'PROMOTE_START', retire: plan.retire },
    'PROMOTE_FAILED',
    async () => {
      await target.route(plan.weights, { groupId: req.changeset.feature_flag });
      await ctx.flags(env.name).set(req.changeset.feature_flag, env.name, { state: 'on', percentage: 100 });
      for (const digest of plan.retire)
        await target.stop(digest, { drainTimeoutMs: env.target.drain_timeout });
      ctx.progress(`  promoted ${req.tag} to 100 %, flag ON 100 %`);
      return target.snapshot();
    },
    (current) => ({ type: 'PROMOTE_SUCCESS', current }),
  );
}
