import { toCutoverError } from '../../core/errors.js';
import { compensationKey, type Compensation } from '../../core/compensations.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { journaledHostSteps } from '../host-steps.js';

/** Runs one compensation. Both kinds are idempotent, so a rollback interrupted half-way is simply run again. */
export async function runCompensation(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  c: Compensation,
): Promise<void> {
  const action = compensationKey(c);
  // Only the compensation's own failure is a failed step: a journal that cannot record its
  // success goes up, and the loop runs the (idempotent) compensation again later.
  let outcome: { status: 'success' | 'failed'; detail: string };
  try {
    outcome = { status: 'success', detail: await compensate(ctx, c, rec) };
  } catch (err) {
    const error = toCutoverError(err);
    outcome = { status: 'failed', detail: `${error.code}: ${error.message}` };
  }
  await rec.record({ type: 'ROLLBACK_STEP', action, ...outcome });
  ctx.progress(`  ${action}${outcome.status === 'success' ? ':' : ' FAILED:'} ${outcome.detail}`);
}

/** Undoes one step through its port and says what it restored. Idempotent. */
export async function compensate(
  ctx: ExecutorContext,
  c: Compensation,
  rec?: DeployRecorder,
): Promise<string> {
  switch (c.action) {
    case 'ROLLBACK_FLAG':
      await ctx.flags(c.environment).set(c.flag, c.environment, c.previous);
      return `flag ${c.flag} back to ${c.previous.state} ${c.previous.percentage} % in ${c.environment}`;
    case 'ROLLBACK_APPLY': {
      const env = ctx.environment(c.environment);
      const options = {
        healthTimeoutMs: env.target.health_timeout,
        drainTimeoutMs: env.target.drain_timeout,
      };
      const scope =
        c.hosts && rec ? { hosts: c.hosts, steps: journaledHostSteps(ctx, rec, c.environment) } : undefined;
      await ctx.target(c.environment).restore(c.previous, options, scope);
      const serving =
        c.previous.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ') || 'nothing';
      return `${c.environment} back to ${serving}`;
    }
  }
}
