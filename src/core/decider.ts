import { nextBatch } from './batch-state.js';
import type { Command, Shipped } from './command.js';
import { compensationKey, planCompensations } from './compensations.js';
import type { DeployState } from './deploy-state.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { TargetSnapshot } from './model/target.js';
import { planApply } from './routing-plan.js';
import type { Strategy } from './schema/strategy.js';

/**
 * The flag state each mode asks for (docs/architecture.md#seed-terms, step 5): ON 100 %, ON at
 * the share APPLY routed to the canary, OFF. That share is the first step, or 100 % when nothing
 * served beside the canary (routing-plan.ts): the flag never disagrees with the routing.
 */
export function desiredFlag(
  strategy: Strategy,
  previous: TargetSnapshot,
  digest: string,
): FlagEnvironmentState {
  switch (strategy.mode) {
    case 'fast-track':
      return { state: 'on', percentage: 100 };
    case 'canary':
      return { state: 'on', percentage: planApply(strategy, previous, digest).weights[digest] ?? 100 };
    case 'manual':
      return { state: 'off', percentage: 0 };
  }
}

/**
 * The pipeline, PREFLIGHT to FLAG: the first step that has not succeeded, given what the steps
 * before it recorded; once all five have, what they shipped. A step's success is what it recorded
 * (PREFLIGHT's passed findings, BUILD's image, PUSH's digest, the target APPLY found), so a later
 * step is only ever decided with it.
 */
function decidePipeline(state: DeployState): Command | Shipped {
  const { request: req, steps, preflight, build, pushedDigest, previousTarget } = state;
  if (!preflight?.passed) return { kind: 'preflight' };
  if (!build) return { kind: 'build' };
  if (!pushedDigest) return { kind: 'push', built: build };
  const release = { repository: req.repository, tag: req.tag, digest: pushedDigest };
  if (steps.APPLY?.status !== 'success' || !previousTarget) return { kind: 'apply', release };
  if (steps.FLAG?.status !== 'success')
    return { kind: 'set-flag', desired: desiredFlag(req.strategy, previousTarget, pushedDigest) };
  const baseline = { snapshot: preflight.baseline, requests: preflight.baselineRequests ?? null };
  return { release, previous: previousTarget, baseline };
}

/** What a canary does after its analysis at the current step passed. */
function decideCanary(state: DeployState, shipped: Shipped): Command | undefined {
  const { strategy } = state.request;
  const canary = state.canary;
  if (strategy.mode !== 'canary' || !canary || state.promoted) return undefined;
  const promote = { kind: 'promote', release: shipped.release } as const;
  if (state.steps.PROMOTE?.status === 'started') return promote;
  if (state.steps.STEP?.status === 'started') {
    const percent = strategy.canary.steps.find((p) => p > canary.percent) ?? 100;
    return { kind: 'canary-step', percent, shipped };
  }
  // Judged at this step, unless the last judgement asked to observe once more (on_inconclusive).
  const last = canary.analyses.filter((a) => a.percent === canary.percent).at(-1);
  const observed = last !== undefined && last.verdict !== 'extend';
  // A canary at 100 % unpromoted took everything on an empty environment: it is judged once too.
  if (!observed)
    return { kind: 'observe', percent: canary.percent, observeMs: strategy.canary.observe, shipped };
  const next = strategy.canary.steps.find((p) => p > canary.percent);
  if (next !== undefined && next < 100) return { kind: 'canary-step', percent: next, shipped };
  // A train never leaves a canary half-way, its last batch included: the next batch needs this
  // one at 100 %, and a train that passed is done, not paused (README, "Deploy states").
  if (next === 100 || state.promoteRequested || state.batch) return promote;
  return undefined;
}

/**
 * How long a shipped batch is watched before the deploy goes on: every batch of a train (the last
 * one too) for `batching.observe`, a fast-track deploy for `fast_track.watch` (the longer of the
 * two for a fast-track train). A canary left at its step is not watched again: its analysis ran.
 */
export function observationMs(state: DeployState): number {
  const { strategy } = state.request;
  const watch = strategy.mode === 'fast-track' ? strategy.fast_track.watch : 0;
  if (strategy.mode === 'canary' && !state.promoted) return 0;
  return state.batch ? Math.max(strategy.batching.observe, watch) : watch;
}

/** After a batch shipped: watch it, then start the next batch of the train, if any. */
function decideTrain(state: DeployState, shipped: Shipped): Command | undefined {
  const index = state.batch?.index ?? 0;
  const observeMs = observationMs(state);
  const analysis = state.watch?.analysis;
  const judged = analysis !== undefined && analysis.verdict !== 'extend';
  if (observeMs > 0 && !judged) return { kind: 'batch-observe', index, observeMs, shipped };
  const next = nextBatch(state);
  if (next) return { kind: 'next-batch', ...next };
  return undefined;
}

/** Failures someone asked for (or time caused) read as their reason; the rest name the step. */
function describeFailure(f: NonNullable<DeployState['failure']>): string {
  const asked = ['E_ROLLBACK_REQUESTED', 'E_INTERRUPTED', 'E_DEADLINE', 'E_ABORTED'];
  return asked.includes(f.code) ? f.reason : `${f.step} failed: ${f.reason}`;
}

/**
 * The next thing to do. Pure and total: a step that started but never ended (the executor died)
 * is decided again — every step is idempotent — so running the loop again resumes the deploy.
 * Intents recorded after success (promote, abort) are folded in and acted on the same way.
 */
export function decide(state: DeployState): Command {
  const rb = state.rollback;
  if (rb && rb.status === 'started') {
    const pending = planCompensations(state).filter((c) => rb.done[compensationKey(c)] === undefined);
    if (pending[0]) return { kind: 'compensate', compensation: pending[0] };
    return { kind: 'end-rollback', failed: Object.keys(rb.done).filter((a) => rb.done[a] === 'failed') };
  }

  const failure = state.failure;
  if (failure) {
    if (state.outcome === 'failed') return { kind: 'done' };
    const compensations = planCompensations(state);
    if (!rb && compensations.length > 0) {
      return { kind: 'start-rollback', reason: describeFailure(failure), compensations };
    }
    return { kind: 'fail', ...failure, rolledBack: rb?.status === 'success' };
  }
  if (state.outcome === 'failed') return { kind: 'done' };

  const pipeline = decidePipeline(state);
  if ('kind' in pipeline) return pipeline;
  const next = decideCanary(state, pipeline) ?? decideTrain(state, pipeline);
  if (next) return next;
  return state.outcome === 'succeeded' ? { kind: 'done' } : { kind: 'succeed' };
}
