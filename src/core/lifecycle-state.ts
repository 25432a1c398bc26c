import type { DeployState } from './deploy-state.js';
import type { DeployEvent, EventOf } from './events.js';
import { stepInProgress } from './step-record.js';

type LifecycleEvent = Extract<
  DeployEvent,
  {
    type:
      | 'DEPLOY_REQUESTED'
      | 'RECOVERY_STARTED'
      | 'LOCK_TAKEN_OVER'
      | 'EXECUTOR_ERROR'
      | 'DEADLINE_FIRED'
      | 'DEPLOY_SUCCEEDED'
      | 'DEPLOY_FAILED';
  }
>;

/**
 * Folds what happens to a deploy as a whole rather than in one of its steps: its request, recovery
 * of an interrupted run, an executor error, a deadline that fired, its outcome. Recovery, an error
 * and a deadline can each turn into a failure, so the decider undoes the deploy with the same
 * compensations.
 */
export function evolveLifecycle(s: DeployState, event: LifecycleEvent, at: string): DeployState {
  switch (event.type) {
    case 'DEPLOY_REQUESTED':
      return {
        ...s,
        request: event,
        requestedAt: at,
        ...(event.train ? { batch: { index: 0, count: event.train.length } } : {}),
      };
    case 'RECOVERY_STARTED': {
      const next = { ...s, recovery: { action: event.action, by: event.by, at } };
      if (event.action === 'resume' || s.failure) return next;
      return { ...next, failure: { step: stepInProgress(s), code: 'E_INTERRUPTED', reason: event.reason } };
    }
    case 'LOCK_TAKEN_OVER':
      return s;
    case 'EXECUTOR_ERROR':
      return s.failure ? s : { ...s, failure: { step: event.step, code: event.code, reason: event.reason } };
    case 'DEADLINE_FIRED':
      return fireDeadline(s, event, at);
    case 'DEPLOY_SUCCEEDED':
      return { ...s, outcome: 'succeeded', finishedAt: at };
    case 'DEPLOY_FAILED':
      return { ...s, outcome: 'failed', finishedAt: at };
  }
}

/** A deadline acts as the intent its strategy names: promote, reject, or undo the deploy. */
function fireDeadline(s: DeployState, event: EventOf<'DEADLINE_FIRED'>, at: string): DeployState {
  const next = { ...s, deadline: { name: event.name, deadline: event.deadline, action: event.action, at } };
  const by = `deadline ${event.name}`;
  if (event.action === 'promote') return { ...next, promoteRequested: by };
  if (event.action === 'reject')
    return { ...next, approval: { state: 'rejected', by, at, follow_up_deploy_id: null } };
  if ((event.action !== 'rollback' && event.action !== 'abort') || s.failure) return next;
  const reason = `deadline ${event.name} passed at ${event.deadline}`;
  return { ...next, failure: { step: 'DEADLINE', code: 'E_DEADLINE', reason } };
}
