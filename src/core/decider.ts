import type { DeployState } from './deploy-state.js';
import type { StepName } from './events.js';
import type { Mode } from './schema/strategy.js';
import type { FlagEnvironmentState } from './model/flag.js';
import { hasNextBatch } from './batch-state.js';
import { compensationKey, planCompensations, type Compensation } from './compensations.js';

export type { Compensation } from './compensations.js';

export type Command =
  | { kind: 'preflight' }
  | { kind: 'build' }
  | { kind: 'push' }
  | { kind: 'apply' }
  | { kind: 'set-flag'; desired: FlagEnvironmentState }
  | { kind: 'observe'; percent: number; observeMs: number }
  | { kind: 'canary-step'; percent: number }
  | { kind: 'promote' }
  | { kind: 'batch-observe'; index: number; observeMs: number }
  | { kind: 'next-batch'; index: number }
  | { kind: 'start-rollback'; reason: string; compensations: Compensation[] }
  | { kind: 'compensate'; compensation: Compensation }
  | { kind: 'end-rollback'; failed: string[] }
  | { kind: 'succeed' }
  | { kind: 'fail'; step: StepName; code: string; reason: string; rolledBack: boolean }
  | { kind: 'done' };

/**
 * The flag state each mode asks for (docs/architecture.md#seed-terms, step 5): ON 100 %, ON at the
 * first canary step, OFF.
 */
export function desiredFlag(mode: Mode, canarySteps: readonly number[]): FlagEnvironmentState {
  switch (mode) {
    case 'fast-track':
      return { state: 'on', percentage: 100 };
    case 'canary':
      return { state: 'on', percentage: canarySteps[0] ?? 5 };
    case 'manual':
      return { state: 'off', percentage: 0 };
  }
}

const PIPELINE: ReadonlyArray<StepName> = ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG'];

/** What a canary does after its analysis at the current step passed. */
function decideCanary(state: DeployState): Command | undefined {
  const { strategy } = state.request!;
  const canary = state.canary;
  if (strategy.mode !== 'canary' || !canary || state.promoted) return undefined;
  if (state.steps.PROMOTE?.status === 'started') return { kind: 'promote' };
  if (state.steps.STEP?.status === 'started')
    return { kind: 'canary-step', percent: strategy.canary.steps.find((p) => p > canary.percent) ?? 100 };
  // Judged at this step, unless the last judgement asked to observe once more (on_inconclusive).
  const last = canary.analyses.filter((a) => a.percent === canary.percent).at(-1);
  const observed = last !== undefined && last.verdict !== 'extend';
  if (!observed && canary.percent < 100)
    return { kind: 'observe', percent: canary.percent, observeMs: strategy.canary.observe };
  const next = strategy.canary.steps.find((p) => p > canary.percent);
  if (next !== undefined && next < 100) return { kind: 'canary-step', percent: next };
  // A train never leaves a canary half-way: the next batch needs this one at 100 %.
  if (next === 100 || state.promoteRequested || hasNextBatch(state)) return { kind: 'promote' };
  return undefined;
}

/**
 * How long a shipped batch is watched before the deploy goes on: every batch of a train (the last
 * one too) for `batching.observe`, a fast-track deploy for `fast_track.watch` (the longer of the
 * two for a fast-track train). A canary left at its step is not watched again: its analysis ran.
 */
export function observationMs(state: DeployState): number {
  const { strategy } = state.request!;
  const watch = strategy.mode === 'fast-track' ? strategy.fast_track.watch : 0;
  if (strategy.mode === 'canary' && !state.promoted) return 0;
  return state.batch ? Math.max(strategy.batching.observe, watch) : watch;
}

/** After a batch shipped: watch it, then start the next batch of the train, if any. */
function decideTrain(state: DeployState): Command | undefined {
  const index = state.batch?.index ?? 0;
  const observeMs = observationMs(state);
  const judged = state.batchAnalysis !== undefined && state.batchAnalysis.verdict !== 'extend';
  if (observeMs > 0 && !judged) return { kind: 'batch-observe', index, observeMs };
  if (hasNextBatch(state)) return { kind: 'next-batch', index: index + 1 };
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
  const req = state.request;
  if (!req) return { kind: 'done' };

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

  for (const step of PIPELINE) {
    if (state.steps[step]?.status === 'success') continue;
    switch (step) {
      case 'PREFLIGHT':
        return { kind: 'preflight' };
      case 'BUILD':
        return { kind: 'build' };
      case 'PUSH':
        return { kind: 'push' };
      case 'APPLY':
        return { kind: 'apply' };
      case 'FLAG':
        return { kind: 'set-flag', desired: desiredFlag(req.strategy.mode, req.strategy.canary.steps) };
    }
  }
  const canary = decideCanary(state);
  if (canary) return canary;
  const train = decideTrain(state);
  if (train) return train;
  return state.outcome === 'succeeded' ? { kind: 'done' } : { kind: 'succeed' };
}
