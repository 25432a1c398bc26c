import { dueDeadline, type DueDeadline } from '../core/deadlines.js';
import type { ExecutorContext } from './context.js';
import type { DeployRecorder } from './recorder.js';
import { openDeploys } from './open-deploys.js';
import { findInterrupted, type OnInterrupted } from './recover.js';

/**
 * The approval or promotion deadline of `rec` that has passed, when `rec` belongs to
 * `environment`: a verb holding that environment's lock applies it before its own work. A manual
 * deploy waits on staging for production, so its approval deadline belongs to both.
 */
export function deadlineDueIn(rec: DeployRecorder, environment: string, now: Date): DueDeadline | undefined {
  const req = rec.state.request;
  if (req?.apply_environment !== environment && req?.environment !== environment) return undefined;
  const due = dueDeadline(rec.state, now);
  return due && due.name !== 'deploy' ? due : undefined;
}

export interface PendingWork {
  /** each in words: which deploy, what happened to it, what would be done with it */
  notes: string[];
  /** the deploys that work would bring to an end (a paused canary among them no longer blocks) */
  settled: Set<string>;
}

const DONE_BY: Record<string, string> = {
  reject: 'rejected',
  abort: 'aborted (rolled back)',
  promote: 'promoted to 100 %',
};

/**
 * What a deploy to `environment` would settle first (see recoverEnvironment): deploys whose
 * executor died, then deadlines that passed. Only reads the journal.
 */
export async function findPendingWork(
  ctx: ExecutorContext,
  environment: string,
  onInterrupted: OnInterrupted,
): Promise<PendingWork> {
  const notes: string[] = [];
  const settled = new Set<string>();
  const deploys = await openDeploys(ctx);
  const interrupted = findInterrupted(deploys, environment);
  for (const rec of interrupted) {
    const then =
      onInterrupted === 'resume' ? 'resumed, or rolled back where resuming is not safe' : 'rolled back';
    notes.push(
      `deploy ${rec.deployId} (${rec.state.request!.tag}) was interrupted (its executor is gone): it would first be ${then} (--on-interrupted ${onInterrupted})`,
    );
    settled.add(rec.deployId);
  }
  const now = ctx.clock.now();
  for (const rec of deploys) {
    if (settled.has(rec.deployId)) continue;
    const due = deadlineDueIn(rec, environment, now);
    if (!due) continue;
    notes.push(
      `deploy ${rec.deployId} (${rec.state.request!.tag}): its ${due.name} deadline passed at ${due.deadline}; it would first be ${DONE_BY[due.action] ?? due.action}`,
    );
    settled.add(rec.deployId);
  }
  return { notes, settled };
}
