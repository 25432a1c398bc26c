import { formatDuration } from '../schema/duration.js';
import type { DeployPlan, PlanBatch, PlanDeadline } from '../schema/plan.js';
import type { Strategy } from '../schema/strategy.js';

/** Every wait that ends the deploy when it runs out, as the strategy and the target set them. */
export function planDeadlines(
  strategy: Strategy,
  endsWith: DeployPlan['ends_with'],
  healthTimeoutMs: number,
): PlanDeadline[] {
  const { deploy, approval, promotion } = strategy.deadlines;
  const out: PlanDeadline[] = [
    { name: 'deploy', after_ms: deploy.after, counted_from: 'request', on_timeout: deploy.on_timeout },
    { name: 'health', after_ms: healthTimeoutMs, counted_from: 'version-start', on_timeout: 'rollback' },
  ];
  if (endsWith === 'awaiting-approval')
    out.push({
      name: 'approval',
      after_ms: approval.after,
      counted_from: 'awaiting-approval',
      on_timeout: approval.on_timeout,
    });
  if (endsWith === 'paused')
    out.push({
      name: 'promotion',
      after_ms: promotion.after,
      counted_from: 'paused',
      on_timeout: promotion.on_timeout,
    });
  return out;
}

/** The observation windows added up: when every first verdict is conclusive, and when none is. */
export function observationTotals(batches: PlanBatch[]): DeployPlan['observation_ms'] {
  let min = 0;
  let max = 0;
  for (const step of batches.flatMap((b) => b.steps))
    if (step.step === 'ANALYSIS' || step.step === 'OBSERVE') {
      min += step.window_ms;
      max += step.max_window_ms;
    }
  return { min, max };
}

const INCONCLUSIVE: Record<Strategy['analysis']['on_inconclusive'], string> = {
  extend: 'observed once more, then fails the deploy (on_inconclusive: extend)',
  fail: 'fails the deploy (on_inconclusive: fail)',
  'pass-with-warning': 'passes with a warning (on_inconclusive: pass-with-warning)',
};

/** What an operator should know before running it: waits the deadline cuts, a batch nobody judges. */
export function planWarnings(
  strategy: Strategy,
  batches: PlanBatch[],
  totals: DeployPlan['observation_ms'],
  endsWith: DeployPlan['ends_with'],
  baselineRequests: number,
): string[] {
  const warnings: string[] = [];
  const deadline = strategy.deadlines.deploy;
  const limit = `deadlines.deploy (${formatDuration(deadline.after)})`;
  if (totals.min >= deadline.after)
    warnings.push(
      `the observations alone take ${formatDuration(totals.min)}, not less than ${limit}: the deploy would be rolled back by its deadline before it ends`,
    );
  else if (totals.max >= deadline.after)
    warnings.push(
      `observations extended for being inconclusive (on_inconclusive: extend) take up to ${formatDuration(totals.max)}, past ${limit}`,
    );
  const last = batches.at(-1)!;
  const judged = last.steps.some((s) => s.step === 'ANALYSIS' || s.step === 'OBSERVE');
  if (!judged && endsWith === 'success')
    warnings.push(
      strategy.mode === 'fast-track'
        ? 'nothing watches the new version once it serves everybody (fast_track.watch: 0): a version that fails after its health check stays live'
        : 'nothing judges the last batch once it serves: a version that fails after its health check stays live',
    );
  const judgedAnywhere = batches.some((b) =>
    b.steps.some((s) => s.step === 'ANALYSIS' || s.step === 'OBSERVE'),
  );
  if (judgedAnywhere && baselineRequests === 0)
    warnings.push(
      `no request reached the environment in the baseline window: unless traffic arrives, an analysis finds fewer than min_requests (${strategy.analysis.min_requests}), which is inconclusive and ${INCONCLUSIVE[strategy.analysis.on_inconclusive]}`,
    );
  return warnings;
}
