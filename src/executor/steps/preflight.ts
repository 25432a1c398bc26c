import { preflightCode } from '../../core/preflight.js';
import type { ExecutorContext } from '../context.js';
import { gatherPreflight } from '../preflight-checks.js';
import type { DeployRecorder } from '../recorder.js';

/** Read-only checks: safe to run again after a crash. All are run so every problem is named at once. */
export async function runPreflight(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  await rec.record({ type: 'PREFLIGHT_START' });
  const found = await gatherPreflight(ctx, rec.state.request, rec.state.batch?.index === 0);
  const { checks, baseline, baselineRequests, flag } = found;
  for (const c of checks) ctx.progress(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  const [first] = failed;
  // A passing flag check read the flag, a passing baseline check the baseline and its requests.
  if (!first && flag && baseline && baselineRequests) {
    await rec.record({
      type: 'PREFLIGHT_PASSED',
      checks,
      baseline,
      baseline_requests: baselineRequests,
      flag,
    });
    return;
  }
  await rec.record({
    type: 'PREFLIGHT_FAILED',
    checks,
    baseline,
    flag,
    code: first ? preflightCode(first) : 'E_BASELINE_UNAVAILABLE',
    reason: failed.map((c) => c.detail).join('; '),
  });
}
