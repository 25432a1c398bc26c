import type { Command } from '../../core/command.js';
import type { ReleaseRef } from '../../core/model/release.js';
import { planCanaryStep, planCutover } from '../../core/routing-plan.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { observeWindow } from './observe-window.js';
import { runStep } from './run-step.js';

/** Observes the canary at its current step, then journals the analysis of its own metrics. */
export async function runObserve(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  { percent, observeMs, shipped }: Extract<Command, { kind: 'observe' }>,
): Promise<void> {
  const canary = rec.state.canary;
  const analyses = canary?.analyses ?? [];
  const analysis = await observeWindow(ctx, rec, {
    shipped,
    observeMs,
    until: canary?.observeUntil,
    extensions: analyses.filter((a) => a.percent === percent && a.verdict === 'extend').length,
    start: (until) => ({ type: 'OBSERVE_START', percent, observe_ms: observeMs, until }),
    what: `observing the canary at ${percent} %`,
  });
  if (!analysis) return;
  ctx.progress(`  analysis: ${analysis.reasons.join('; ')}`);
  await rec.record({ type: 'ANALYSIS_RESULT', percent, ...analysis });
}

/** Moves traffic and the flag together to the next step, so routed users and flagged users stay the same. */
export async function runCanaryStep(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  { percent, shipped }: Extract<Command, { kind: 'canary-step' }>,
): Promise<void> {
  const req = rec.state.request;
  const env = req.apply_environment;
  await runStep(
    rec,
    { type: 'STEP_START', percent },
    (f) => ({ type: 'STEP_FAILED', percent, ...f }),
    async () => {
      const plan = planCanaryStep(shipped.previous, shipped.release.digest, percent);
      await ctx.target(env).route(plan.weights, { groupId: req.changeset.feature_flag });
      await ctx.flags(env).set(req.changeset.feature_flag, env, { state: 'on', percentage: percent });
      ctx.progress(`  canary at ${percent} %, flag ON ${percent} %`);
      return ctx.target(env).snapshot();
    },
    (current) => ({ type: 'STEP_SUCCESS', percent, current }),
  );
}

/** Sends 100 % to the canary, turns the flag fully on, and drains and stops the old version. */
export async function runPromote(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  release: ReleaseRef,
): Promise<void> {
  const req = rec.state.request;
  const env = ctx.environment(req.apply_environment);
  const target = ctx.target(env.name);
  const plan = planCutover(await target.snapshot(), release.digest);
  await runStep(
    rec,
    { type: 'PROMOTE_START', retire: plan.retire },
    (f) => ({ type: 'PROMOTE_FAILED', ...f }),
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
