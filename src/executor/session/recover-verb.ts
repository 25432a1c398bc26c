import { CutoverError } from '../../core/errors.js';
import type { DeployResult } from '../../core/schema/result.js';
import { environmentsToRecover, recoverEnvironment } from './recover-environment.js';
import { withEnvironment, type SessionContext, type SessionPolicy } from './session.js';

export interface RecoverReport {
  recovered: DeployResult[];
  /** environments skipped because a live holder has their lock (only without `environment`) */
  skippedLocked: string[];
}

/**
 * `cutover recover`: takes each environment with work left (or only `environment`) and brings
 * every deploy a dead executor left there to an end, and every deadline due there.
 */
export async function recoverEnvironments(
  ctx: SessionContext,
  policy: SessionPolicy & { environment?: string },
): Promise<RecoverReport> {
  const environments = policy.environment
    ? [ctx.environment(policy.environment).name]
    : await environmentsToRecover(ctx);
  const recovered: DeployResult[] = [];
  const skippedLocked: string[] = [];
  for (const environment of environments) {
    // withEnvironment recovers before it acts; recovering again inside finds nothing left.
    const found = await withEnvironment(
      ctx,
      environment,
      { ...policy, command: 'recover', reason: 'recover interrupted deploys', afterFailedRecovery: true },
      async (session) => [
        ...session.recovered,
        ...(await recoverEnvironment(ctx, environment, policy.onInterrupted)),
      ],
    ).catch((err: unknown) => {
      // A live holder is running a deploy there: nothing to recover; say so and go on.
      if (!(err instanceof CutoverError) || err.code !== 'E_LOCK_HELD' || policy.environment) throw err;
      ctx.progress(`cutover: ${err.message}; skipped`);
      skippedLocked.push(environment);
      return [];
    });
    recovered.push(...found);
  }
  if (recovered.length === 0 && skippedLocked.length === 0) ctx.progress('cutover: nothing to recover');
  return { recovered, skippedLocked };
}
