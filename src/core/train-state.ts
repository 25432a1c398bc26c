import { startBatch } from './batch-state.js';
import type { DeployState, StepRecord } from './deploy-state.js';
import type { DeployEvent, StepName } from './events.js';

type TrainEvent = Extract<
  DeployEvent,
  {
    type:
      | 'BATCH_START'
      | 'BATCH_OBSERVE_START'
      | 'BATCH_ANALYSIS'
      | 'RECOVERY_STARTED'
      | 'LOCK_TAKEN_OVER'
      | 'EXECUTOR_ERROR'
      | 'DEADLINE_FIRED';
  }
>;

/**
 * Folds what happens around the pipeline rather than in it: batches of a train, recovery of an
 * interrupted deploy, an executor error, a deadline that fired. Each of the last three can turn
 * into a failure, so the decider undoes the deploy with the same compensations.
 */
export function evolveTrain(s: DeployState, event: TrainEvent, at: string): DeployState {
  switch (event.type) {
    case 'BATCH_START':
      return startBatch(s, event);
    case 'BATCH_OBSERVE_START':
      return { ...s, batchObserveUntil: event.until };
    case 'BATCH_ANALYSIS': {
      const { type: _type, index: _index, ...analysis } = event;
      const next = { ...s, batchObserveUntil: undefined, batchAnalysis: analysis };
      if (event.verdict === 'pass') return next;
      if (event.verdict === 'extend') return { ...next, batchExtensions: (s.batchExtensions ?? 0) + 1 };
      const code = event.verdict === 'fail' ? 'E_ANALYSIS_FAILED' : 'E_ANALYSIS_INCONCLUSIVE';
      return { ...next, failure: { step: 'OBSERVE', code, reason: event.reasons.join('; ') } };
    }
    case 'RECOVERY_STARTED': {
      const next = { ...s, recovery: { action: event.action, by: event.by, at } };
      if (event.action === 'resume' || s.failure) return next;
      return { ...next, failure: { step: stepInProgress(s), code: 'E_INTERRUPTED', reason: event.reason } };
    }
    case 'LOCK_TAKEN_OVER':
      return s;
    case 'EXECUTOR_ERROR':
      return s.failure ? s : { ...s, failure: { step: event.step, code: event.code, reason: event.reason } };
    case 'DEADLINE_FIRED': {
      const next = {
        ...s,
        deadline: { name: event.name, deadline: event.deadline, action: event.action, at },
      };
      if (event.action === 'promote') return { ...next, promoteRequested: `deadline ${event.name}` };
      if (event.action === 'reject') {
        const approval = {
          state: 'rejected' as const,
          by: `deadline ${event.name}`,
          at,
          follow_up_deploy_id: null,
        };
        return { ...next, approval };
      }
      if ((event.action !== 'rollback' && event.action !== 'abort') || s.failure) return next;
      const reason = `deadline ${event.name} passed at ${event.deadline}`;
      return { ...next, failure: { step: 'DEADLINE', code: 'E_DEADLINE', reason } };
    }
  }
}

/** The step that started last and never ended, else the last that ran: where an interruption hit. */
export function stepInProgress(s: DeployState): StepName {
  const steps = Object.entries(s.steps) as Array<[StepName, StepRecord]>;
  const open = steps.filter(([, r]) => r.status === 'started');
  const pick = (open.length > 0 ? open : steps).sort((a, b) =>
    a[1].started_at.localeCompare(b[1].started_at),
  );
  return pick[pick.length - 1]?.[0] ?? 'PREFLIGHT';
}
