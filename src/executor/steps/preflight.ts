import { preflightCode } from '../../core/preflight.js';
import type { ExecutorContext } from '../context.js';
import { gatherPreflight } from '../preflight-checks.js';
import type { DeployRecorder } from '../recorder.js';

/** Read-only checks: safe to run again after a crash. All are run so every problem is named at once. */
export async function runPreflight(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  const req = rec.state.request!;
  await rec.record({ type: 'PREFLIGHT_START' });
  const found = await gatherPreflight(ctx, req, rec.state.batch?.index === 0);
  const { checks, baseline, baselineRequests, flag } = found;
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
