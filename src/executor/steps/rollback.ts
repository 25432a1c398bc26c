import { toCutoverError } from '../../core/errors.js';
import { compensationKey, type Compensation } from '../../core/compensations.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';

/** Runs one compensation. Both kinds are idempotent, so a rollback interrupted half-way is simply run again. */
export async function runCompensation(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  c: Compensation,
): Promise<void> {
  const action = compensationKey(c);
  try {
    const detail = await compensate(ctx, c);
    await rec.record({ type: 'ROLLBACK_STEP', action, status: 'success', detail });
    ctx.progress(`  ${action}: ${detail}`);
  } catch (err) {
    const error = toCutoverError(err);
    await rec.record({
      type: 'ROLLBACK_STEP',
      action,
      status: 'failed',
      detail: `${error.code}: ${error.message}`,
    });
    ctx.progress(`  ${action} FAILED: ${error.message}`);
  }
}

async function compensate(ctx: ExecutorContext, c: Compensation): Promise<string> {
  switch (c.action) {
    case 'ROLLBACK_FLAG':
      await ctx.flags(c.environment).set(c.flag, c.environment, c.previous);
      return `flag ${c.flag} back to ${c.previous.state} ${c.previous.percentage} % in ${c.environment}`;
    case 'ROLLBACK_APPLY': {
      const env = ctx.environment(c.environment);
      await ctx.target(c.environment).restore(c.previous, {
        healthTimeoutMs: env.target.health_timeout,
        drainTimeoutMs: env.target.drain_timeout,
      });
      const serving =
        c.previous.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ') || 'nothing';
      return `${c.environment} back to ${serving}`;
    }
  }
}
