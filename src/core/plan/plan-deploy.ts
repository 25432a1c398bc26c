import type { DeployState } from '../deploy-state.js';
import type { EventOf, PreflightCheck } from '../events.js';
import type { DeployPlan, PlanBatch, PlanStep } from '../schema/plan.js';
import type { FlagEnvironmentState } from '../model/flag.js';
import type { MetricsSnapshot } from '../model/metrics.js';
import type { TargetSnapshot } from '../model/target.js';
import { observationTotals, planDeadlines, planWarnings } from './plan-deadlines.js';
import { planRollback } from './plan-rollback.js';
import { planStep } from './plan-steps.js';
import { rehearseDeploy } from './rehearse-deploy.js';

/** Everything a plan is computed from: the request deploy would journal, and what is true now. */
export interface PlanInput {
  request: EventOf<'DEPLOY_REQUESTED'>;
  /** PREFLIGHT's verdicts, from the same checks a deploy runs */
  checks: PreflightCheck[];
  /** the baseline PREFLIGHT captured; null when it could not */
  baseline: MetricsSnapshot | null;
  /** what serves the apply environment now: what a rollback puts back */
  serving: TargetSnapshot;
  /** each batch's flag in the apply environment now, by name; null: it does not exist */
  flags: Record<string, FlagEnvironmentState | null>;
  /** the apply environment's health_timeout, in milliseconds */
  healthTimeoutMs: number;
  /** what the deploy would do first (recover an interrupted deploy, …), in words */
  before?: string[];
}

const NO_TRAFFIC: MetricsSnapshot = {
  latency_p95_ms: null,
  error_rate_5xx: null,
  cpu_percent: null,
  samples: 0,
  window_ms: 0,
};

/**
 * The timeline `deploy` would follow with these inputs. Pure: the decider is run over a deploy in
 * which everything succeeds, and asked what it would undo if batch k failed, for every k.
 *
 * @example
 * const plan = planDeploy({ request, checks, baseline, serving, flags, healthTimeoutMs: 30_000 });
 * plan.batches[0].steps.map((s) => s.step); // ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG', 'ANALYSIS', 'AWAIT']
 */
export function planDeploy(input: PlanInput): DeployPlan {
  const { request, healthTimeoutMs } = input;
  const flags: Record<string, FlagEnvironmentState> = {};
  for (const [name, state] of Object.entries(input.flags)) if (state) flags[name] = state;
  const baseline = input.baseline ?? NO_TRAFFIC;
  const rehearsal = rehearseDeploy(request, { target: input.serving, flags }, baseline);
  const ctx = { healthTimeoutMs, baselineRequests: baseline.samples };
  const endsWith = endOf(rehearsal.final);

  const batches = (request.train ?? [request]).map((b, index): PlanBatch => {
    const steps = rehearsal.moves
      .filter((m) => m.batch === index)
      .map((m) => planStep(m, ctx))
      .filter((s): s is PlanStep => s !== undefined);
    const failures = rehearsal.failures[index]!;
    return {
      batch: index + 1,
      changeset: b.changeset.id,
      service: b.changeset.service,
      version: b.changeset.version,
      tag: b.tag,
      flag: { name: b.changeset.feature_flag, now: input.flags[b.changeset.feature_flag] ?? null },
      steps,
      rollback: {
        before_apply: planRollback(failures.beforeApply),
        after_flag: planRollback(failures.afterFlag),
      },
    };
  });
  const awaiting = awaitStep(rehearsal.final, endsWith);
  if (awaiting) batches.at(-1)!.steps.push(awaiting);

  const totals = observationTotals(batches);
  const passed = input.checks.every((c) => c.ok);
  return {
    would_start: passed,
    environment: request.environment,
    apply_environment: request.apply_environment,
    mode: request.strategy.mode,
    preflight: { passed, checks: input.checks },
    before: input.before ?? [],
    serving: input.serving.versions.map((v) => ({ tag: v.release.tag, weight: v.weight })),
    batches,
    ends_with: endsWith,
    deadlines: planDeadlines(request.strategy, endsWith, healthTimeoutMs),
    observation_ms: totals,
    warnings: planWarnings(request.strategy, batches, totals, endsWith, baseline.samples),
  };
}

/** How the deploy reports success: done, a canary left at its step, or a manual one awaiting approval. */
function endOf(final: DeployState): DeployPlan['ends_with'] {
  const { mode } = final.request.strategy;
  if (mode === 'manual') return 'awaiting-approval';
  if (mode === 'canary' && !final.promoted && (final.canary?.percent ?? 100) < 100) return 'paused';
  return 'success';
}

/** The wait a deploy ends in, when it ends in one, and the deadline that ends the wait. */
function awaitStep(final: DeployState, endsWith: DeployPlan['ends_with']): PlanStep | undefined {
  const req = final.request;
  const { approval, promotion } = req.strategy.deadlines;
  if (endsWith === 'awaiting-approval')
    return {
      step: 'AWAIT',
      awaiting: 'approval',
      environment: req.environment,
      after_ms: approval.after,
      on_timeout: approval.on_timeout,
    };
  if (endsWith === 'paused')
    return {
      step: 'AWAIT',
      awaiting: 'promote',
      environment: req.apply_environment,
      after_ms: promotion.after,
      on_timeout: promotion.on_timeout,
    };
  return undefined;
}
