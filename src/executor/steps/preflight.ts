import { checkDod, checkRollbackPlan, preflightCode } from '../../core/preflight.js';
import type { PreflightCheck } from '../../core/events.js';
import type { FlagEnvironmentState } from '../../ports/flags.js';
import type { MetricsSnapshot, RequestSample } from '../../ports/metrics.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';

function describeBaseline(b: MetricsSnapshot): string {
  if (b.latency_p95_ms === null)
    return `baseline captured: ${b.samples} requests in ${b.window_ms} ms, too few to measure`;
  return `baseline captured: p95 ${b.latency_p95_ms} ms, 5xx ${b.error_rate_5xx} %, cpu ${b.cpu_percent ?? '?'} % over ${b.samples} requests`;
}

/** Read-only checks: safe to run again after a crash. All are run so every problem is named at once. */
export async function runPreflight(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  const req = rec.state.request!;
  await rec.record({ type: 'PREFLIGHT_START' });
  const checks: PreflightCheck[] = [checkDod(req.changeset, ctx.config.dod.steps)];

  let flag: FlagEnvironmentState | null = null;
  try {
    flag =
      (await ctx.flags(req.apply_environment).get(req.changeset.feature_flag, req.apply_environment)) ?? null;
    checks.push(
      flag
        ? {
            name: 'feature_flag',
            ok: true,
            detail: `flag ${req.changeset.feature_flag} exists (${flag.state} ${flag.percentage} %)`,
          }
        : {
            name: 'feature_flag',
            ok: false,
            detail: `feature flag "${req.changeset.feature_flag}" does not exist in the flag store`,
          },
    );
  } catch (err) {
    checks.push({
      name: 'feature_flag',
      ok: false,
      detail: `flag store unreachable: ${(err as Error).message}`,
    });
  }
  checks.push(checkRollbackPlan(req.changeset));
  if (rec.state.batch?.index === 0) checks.push(...(await checkLaterBatches(ctx, rec)));

  let baseline: MetricsSnapshot | null = null;
  let baselineRequests: RequestSample | null = null;
  try {
    const { window, min_samples } = ctx.config.baseline;
    const metrics = ctx.metrics(req.apply_environment);
    baseline = await metrics.snapshot(undefined, window, min_samples);
    // Kept (bucketed, a few hundred numbers) for judging the version once it serves everybody.
    baselineRequests = await metrics.requests(undefined, window);
    checks.push({ name: 'baseline', ok: true, detail: describeBaseline(baseline) });
  } catch (err) {
    checks.push({ name: 'baseline', ok: false, detail: `baseline not captured: ${(err as Error).message}` });
  }

  const failed = checks.filter((c) => !c.ok);
  for (const c of checks) ctx.progress(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.detail}`);
  if (failed.length === 0) {
    await rec.record({
      type: 'PREFLIGHT_PASSED',
      checks,
      baseline: baseline!,
      baseline_requests: baselineRequests!,
      flag: flag!,
    });
    return;
  }
  await rec.record({
    type: 'PREFLIGHT_FAILED',
    checks,
    baseline,
    flag,
    code: preflightCode(failed[0]!),
    reason: failed.map((c) => c.detail).join('; '),
  });
}

/**
 * A train checks every changeset before its first batch changes anything: a DoD gap in batch 3
 * must not cost two deploys and their rollback. Each batch still captures its own baseline.
 */
async function checkLaterBatches(ctx: ExecutorContext, rec: DeployRecorder): Promise<PreflightCheck[]> {
  const req = rec.state.request!;
  const checks: PreflightCheck[] = [];
  for (const [i, b] of (req.train ?? []).entries()) {
    if (i === 0) continue;
    const prefix = (c: PreflightCheck): PreflightCheck => ({ ...c, detail: `batch ${i + 1}: ${c.detail}` });
    checks.push(prefix(checkDod(b.changeset, ctx.config.dod.steps)), prefix(checkRollbackPlan(b.changeset)));
    const flag = await ctx.flags(req.apply_environment).get(b.changeset.feature_flag, req.apply_environment);
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
