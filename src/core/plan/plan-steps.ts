import { MAX_EXTENSIONS } from '../analysis.js';
import type { AnalysisPolicy, Strategy } from '../schema/strategy.js';
import type { PlanAnalysis, PlanStep, PlanWeights } from '../schema/plan.js';
import { stableBeside } from '../routing-plan.js';
import type { TargetSnapshot } from '../model/target.js';
import type { Move } from './rehearse-deploy.js';

export interface StepContext {
  /** milliseconds a new version has to answer its health path (the apply environment's target) */
  healthTimeoutMs: number;
  /** requests the pre-deploy baseline saw: none means latency has nothing to be compared with */
  baselineRequests: number;
}

export function weightsOf(target: TargetSnapshot): PlanWeights {
  return target.versions.map((v) => ({ tag: v.release.tag, weight: v.weight }));
}

/** Tags that serve in `before` and no longer in `after`: drained and stopped. */
export function retiredBetween(before: TargetSnapshot, after: TargetSnapshot): string[] {
  const kept = new Set(after.versions.map((v) => v.release.digest));
  return before.versions.filter((v) => !kept.has(v.release.digest)).map((v) => v.release.tag);
}

/** The analysis as the strategy sets it, with only the thresholds its method reads. */
export function analysisOf(
  policy: AnalysisPolicy,
  compared_with: PlanAnalysis['compared_with'],
): PlanAnalysis {
  const { min_requests, max_error_rate_5xx, on_inconclusive } = policy;
  const common = { compared_with, min_requests, max_error_rate_5xx, on_inconclusive };
  if (policy.method === 'threshold')
    return {
      method: 'threshold',
      ...common,
      max_latency_p95_increase_pct: policy.max_latency_p95_increase_pct,
    };
  const { confidence, max_latency_increase_pct, min_latency_shift_ms } = policy;
  return { method: 'statistical', ...common, confidence, max_latency_increase_pct, min_latency_shift_ms };
}

/** The window and, when an inconclusive verdict is observed once more, how long it may last. */
function watched(strategy: Strategy, move: Move, windowMs: number, ctx: StepContext) {
  const { state } = move;
  const digest = state.pushedDigest!;
  const stable = stableBeside(state.currentTarget ?? state.previousTarget, digest) !== null;
  // The threshold method always reads the baseline's p95. Later batches measure their own
  // baseline when they start, so the plan cannot know that one saw no traffic.
  const withBaseline = move.batch > 0 || ctx.baselineRequests > 0 ? 'baseline' : 'nothing';
  const reference = stable && strategy.analysis.method === 'statistical' ? 'stable' : withBaseline;
  const extended = strategy.analysis.on_inconclusive === 'extend';
  return {
    window_ms: windowMs,
    max_window_ms: extended ? (1 + MAX_EXTENSIONS) * windowMs : windowMs,
    analysis: analysisOf(strategy.analysis, reference),
  };
}

/** What one rehearsed command does, as a step of the plan; undefined for the train's bookkeeping. */
export function planStep(move: Move, ctx: StepContext): PlanStep | undefined {
  const { command, state, before, after } = move;
  const req = state.request;
  const strategy = req.strategy;
  switch (command.kind) {
    case 'preflight':
      return {
        step: 'PREFLIGHT',
        note:
          move.batch === 0
            ? 'the checks above'
            : "this changeset's DoD, flag and rollback plan (checked above with batch 1), and its own baseline, measured when it starts",
      };
    case 'build':
      return { step: 'BUILD', tag: req.tag };
    case 'push':
      return { step: 'PUSH', registry: req.registry, repository: req.repository, tag: req.tag };
    case 'apply':
      return {
        step: 'APPLY',
        environment: req.apply_environment,
        health_timeout_ms: ctx.healthTimeoutMs,
        weights: weightsOf(after.target),
        retire: retiredBetween(before.target, after.target),
      };
    case 'set-flag':
      return {
        step: 'FLAG',
        flag: req.changeset.feature_flag,
        environment: req.apply_environment,
        ...command.desired,
      };
    case 'observe':
      return {
        step: 'ANALYSIS',
        percent: command.percent,
        ...watched(strategy, move, command.observeMs, ctx),
      };
    case 'canary-step':
      return {
        step: 'STEP',
        percent: command.percent,
        weights: weightsOf(after.target),
        flag: { state: 'on', percentage: command.percent },
      };
    case 'promote':
      return {
        step: 'PROMOTE',
        weights: weightsOf(after.target),
        retire: retiredBetween(before.target, after.target),
      };
    case 'batch-observe': {
      const why =
        state.batch && strategy.batching.observe >= command.observeMs
          ? 'batching.observe'
          : 'fast_track.watch';
      return { step: 'OBSERVE', why, ...watched(strategy, move, command.observeMs, ctx) };
    }
    default:
      return undefined;
  }
}
