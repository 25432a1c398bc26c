import type { DeployState, RollbackRecord } from './deploy-state.js';
import type { DeployEvent } from './events.js';

type RollbackEvent = Extract<
  DeployEvent,
  {
    type: 'ROLLBACK_REQUESTED' | 'ROLLBACK_START' | 'ROLLBACK_STEP' | 'ROLLBACK_SUCCESS' | 'ROLLBACK_FAILED';
  }
>;

/**
 * Folds a rollback: asked for after the fact, then run compensation by compensation. Each
 * compensation's outcome is kept, so a rollback asked again after a failed one retries only what
 * did not succeed.
 */
export function evolveRollback(s: DeployState, event: RollbackEvent): DeployState {
  switch (event.type) {
    case 'ROLLBACK_REQUESTED': {
      const rb = s.rollback;
      if (rb?.status === 'failed') {
        const done = Object.fromEntries(Object.entries(rb.done).filter(([, status]) => status === 'success'));
        return { ...s, rollback: { ...rb, status: 'started', done } };
      }
      return {
        ...s,
        failure: {
          step: 'ROLLBACK',
          code: 'E_ROLLBACK_REQUESTED',
          reason: `rolled back by ${event.by}: ${event.reason}`,
        },
      };
    }
    case 'ROLLBACK_START':
      return {
        ...s,
        rollback: { status: 'started', reason: event.reason, actions: event.actions, done: {} },
      };
    case 'ROLLBACK_STEP':
      return withRollback(s, (rb) => ({ ...rb, done: { ...rb.done, [event.action]: event.status } }));
    case 'ROLLBACK_SUCCESS':
      return withRollback(s, (rb) => ({ ...rb, status: 'success' }));
    case 'ROLLBACK_FAILED':
      return withRollback(s, (rb) => ({ ...rb, status: 'failed' }));
  }
}

/** A compensation's outcome belongs to the rollback ROLLBACK_START began; without one it changes nothing. */
function withRollback(s: DeployState, change: (rb: RollbackRecord) => RollbackRecord): DeployState {
  return s.rollback ? { ...s, rollback: change(s.rollback) } : s;
}
