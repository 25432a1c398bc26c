import type { DeployState, StepRecord, StepStatus } from './deploy-state.js';
import type { Failure, StepName } from './events.js';

/** Records that `step` started at `at` (again, if it ran before: a re-run replaces the record). */
export function startStep(state: DeployState, step: StepName, at: string): DeployState {
  return { ...state, steps: { ...state.steps, [step]: { status: 'started', started_at: at } } };
}

/** Records how `step` ended; a failure also becomes the deploy's failure, which starts its rollback. */
export function endStep(state: DeployState, step: StepName, at: string, failure?: Failure): DeployState {
  const started = state.steps[step]?.started_at ?? at;
  const status: StepStatus = failure ? 'failed' : 'success';
  const next = { ...state, steps: { ...state.steps, [step]: { status, started_at: started, ended_at: at } } };
  return failure ? { ...next, failure: { step, code: failure.code, reason: failure.reason } } : next;
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
