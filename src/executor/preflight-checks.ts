import { checkDod, checkRollbackPlan } from '../core/preflight.js';
import type { EventOf, PreflightCheck } from '../core/events.js';
import type { FlagEnvironmentState } from '../core/model/flag.js';
import type { MetricsSnapshot, RequestSample } from '../core/model/metrics.js';
import type { ExecutorContext } from './context.js';

/** What the preflight checks read through: the DoD steps and baseline settings, flags, metrics. */
export type PreflightContext = Pick<ExecutorContext, 'config' | 'flags' | 'metrics'>;

/** The part of a deploy's request the checks judge: one batch's changeset, and the train's others. */
export type PreflightSubject = Pick<EventOf<'DEPLOY_REQUESTED'>, 'changeset' | 'apply_environment' | 'train'>;

export interface PreflightFindings {
  /** every check, failing ones included, so that every problem is named at once */
  checks: PreflightCheck[];
  /** the flag as it is now; null when it is missing or the store cannot be reached */
  flag: FlagEnvironmentState | null;
  baseline: MetricsSnapshot | null;
  baselineRequests: RequestSample | null;
}

function describeBaseline(b: MetricsSnapshot): string {
  if (b.latency_p95_ms === null)
    return `baseline captured: ${b.samples} requests in ${b.window_ms} ms, too few to measure`;
  return `baseline captured: p95 ${b.latency_p95_ms} ms, 5xx ${b.error_rate_5xx} %, cpu ${b.cpu_percent ?? '?'} % over ${b.samples} requests`;
}

/**
 * Runs the read-only checks of PREFLIGHT: nothing is written, so both a deploy (which journals
 * the findings) and `cutover plan` (which only shows them) get the very same verdicts.
 *
 * @param withLaterBatches the first batch of a train also checks every later changeset, so that
 *   a DoD gap in batch 3 does not cost two deploys and their rollback
 */
export async function gatherPreflight(
  ctx: PreflightContext,
  subject: PreflightSubject,
  withLaterBatches: boolean,
): Promise<PreflightFindings> {
  const { changeset, apply_environment: environment } = subject;
  const checks: PreflightCheck[] = [checkDod(changeset, ctx.config.dod.steps)];

  let flag: FlagEnvironmentState | null = null;
  try {
    flag = (await ctx.flags(environment).get(changeset.feature_flag, environment)) ?? null;
    checks.push(
      flag
        ? {
            name: 'feature_flag',
            ok: true,
            detail: `flag ${changeset.feature_flag} exists (${flag.state} ${flag.percentage} %)`,
          }
        : {
            name: 'feature_flag',
            ok: false,
            detail: `feature flag "${changeset.feature_flag}" does not exist in the flag store`,
          },
    );
  } catch (err) {
    checks.push({
      name: 'feature_flag',
      ok: false,
      detail: `flag store: ${(err as Error).message}`,
    });
  }
  checks.push(checkRollbackPlan(changeset));
  if (withLaterBatches) checks.push(...(await checkLaterBatches(ctx, subject)));

  let baseline: MetricsSnapshot | null = null;
  let baselineRequests: RequestSample | null = null;
  try {
    const { window, min_samples } = ctx.config.baseline;
    const source = ctx.metrics(environment);
    const metrics = source.forService?.(changeset.service) ?? source;
    baseline = await metrics.snapshot(undefined, window, min_samples);
    // Kept (bucketed, a few hundred numbers) for judging the version once it serves everybody.
    baselineRequests = await metrics.requests(undefined, window);
    checks.push({ name: 'baseline', ok: true, detail: describeBaseline(baseline) });
  } catch (err) {
    checks.push({ name: 'baseline', ok: false, detail: `baseline not captured: ${(err as Error).message}` });
  }
  return { checks, flag, baseline, baselineRequests };
}

async function checkLaterBatches(
  ctx: PreflightContext,
  subject: PreflightSubject,
): Promise<PreflightCheck[]> {
  const environment = subject.apply_environment;
  const checks: PreflightCheck[] = [];
  for (const [i, b] of (subject.train ?? []).entries()) {
    if (i === 0) continue;
    const prefix = (c: PreflightCheck): PreflightCheck => ({ ...c, detail: `batch ${i + 1}: ${c.detail}` });
    checks.push(prefix(checkDod(b.changeset, ctx.config.dod.steps)), prefix(checkRollbackPlan(b.changeset)));
    const flag = await ctx.flags(environment).get(b.changeset.feature_flag, environment);
    if (!flag)
      checks.push(
        prefix({
          name: 'feature_flag',
          ok: false,
          detail: `feature flag "${b.changeset.feature_flag}" does not exist in the flag store`,
        }),
      );
  }
  return checks;
}
