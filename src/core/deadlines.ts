import type { DeployState } from './deploy-state.js';
import type { DeadlineName } from './events.js';

export interface DueDeadline {
  name: DeadlineName;
  /** ISO 8601: when it passed */
  deadline: string;
  action: string;
}

function after(from: string | undefined, ms: number): number {
  return from === undefined ? Number.POSITIVE_INFINITY : Date.parse(from) + ms;
}

/**
 * The deadline that has passed for this deploy at `now`, if any, with the action its strategy
 * names. `deploy` bounds a deploy still running (from its request); `approval` and `promotion`
 * bound what a finished deploy waits for (from when it finished). Each fires once.
 */
export function dueDeadline(state: DeployState, now: Date): DueDeadline | undefined {
  const req = state.request;
  if (state.deadline || state.outcome === 'failed') return undefined;
  const { deadlines, mode } = req.strategy;
  const due = (name: DeadlineName, at: number, action: string): DueDeadline | undefined =>
    now.getTime() > at ? { name, deadline: new Date(at).toISOString(), action } : undefined;

  if (state.outcome === undefined) {
    if (state.failure || state.rollback) return undefined;
    return due('deploy', after(state.requestedAt, deadlines.deploy.after), deadlines.deploy.on_timeout);
  }
  if (mode === 'manual' && !state.approval && !req.artifact_from)
    return due('approval', after(state.finishedAt, deadlines.approval.after), deadlines.approval.on_timeout);
  const paused =
    mode === 'canary' &&
    (state.canary?.percent ?? 100) < 100 &&
    !state.promoted &&
    !state.promoteRequested &&
    !state.failure;
  if (paused)
    return due(
      'promotion',
      after(state.finishedAt, deadlines.promotion.after),
      deadlines.promotion.on_timeout,
    );
  return undefined;
}

/** When the running deploy must have finished (epoch ms), so long waits can stop there. */
export function deployDeadlineAt(state: DeployState): number {
  if (state.outcome !== undefined || state.failure || state.rollback) return Number.POSITIVE_INFINITY;
  return after(state.requestedAt, state.request.strategy.deadlines.deploy.after);
}
