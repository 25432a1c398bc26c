import { existsSync } from 'node:fs';
import { decide } from '../core/decider.js';
import type { DeployResult } from '../core/schema/result.js';
import type { ExecutorContext } from './context.js';
import { driveDeploy } from './drive-deploy.js';
import { DeployRecorder } from './recorder.js';

export type OnInterrupted = 'resume' | 'rollback';

/**
 * Of `deploys`, those to `environment` (by the environment they change) that have work left
 * although nobody runs them. Call it holding the environment's lock: whoever started them is gone.
 */
export function findInterrupted(deploys: DeployRecorder[], environment: string): DeployRecorder[] {
  return deploys.filter(
    (rec) => rec.state.request!.apply_environment === environment && decide(rec.state).kind !== 'done',
  );
}

/** Why resuming is not safe, or null. A rollback already under way is always finished as one. */
function resumeBlocker(rec: DeployRecorder): string | null {
  const s = rec.state;
  if (s.rollback || s.failure) return 'it was already failing; finishing its rollback';
  const req = s.request!;
  if (s.steps.BUILD?.status !== 'success' && !req.artifact_from && !existsSync(req.base_dir))
    return `its source ${req.base_dir} is gone, so it cannot be built`;
  return null;
}

/**
 * Brings one interrupted deploy to a consistent end: resumed when asked and safe (every step is
 * idempotent and journaled before it acts), otherwise rolled back with its recorded compensations.
 */
export async function recoverDeploy(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  onInterrupted: OnInterrupted,
): Promise<DeployResult> {
  // A takeover journaled just now is not where the deploy stopped.
  const last = [...rec.rows].reverse().find((r) => r.event.type !== 'LOCK_TAKEN_OVER') ?? rec.rows[0]!;
  const blocker = onInterrupted === 'resume' ? resumeBlocker(rec) : null;
  const action: OnInterrupted = blocker === null ? onInterrupted : 'rollback';
  const reason =
    action === 'resume'
      ? `interrupted after ${last.event.type} at ${last.at}; resuming`
      : `interrupted after ${last.event.type} at ${last.at}; rolled back${blocker ? ` (${blocker})` : ''}`;
  ctx.progress(`cutover: recovering deploy ${rec.deployId}: ${reason}`);
  await rec.record({
    type: 'RECOVERY_STARTED',
    by: ctx.actor,
    action,
    reason,
    interrupted_after: last.event.type,
  });
  return driveDeploy(ctx, rec);
}
