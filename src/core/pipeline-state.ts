import type { DeployState, StepStatus } from './deploy-state.js';
import type { DeployEvent, Failure, StepName } from './events.js';

type PipelineEvent = Extract<
  DeployEvent,
  {
    type:
      | 'PREFLIGHT_START'
      | 'PREFLIGHT_PASSED'
      | 'PREFLIGHT_FAILED'
      | 'BUILD_START'
      | 'BUILD_SUCCESS'
      | 'PUSH_START'
      | 'PUSH_SUCCESS'
      | 'APPLY_START'
      | 'APPLY_SUCCESS'
      | 'FLAG_START'
      | 'FLAG_ACTIVATED'
      | 'BUILD_FAILED'
      | 'PUSH_FAILED'
      | 'APPLY_FAILED'
      | 'FLAG_FAILED';
  }
>;

export function start(state: DeployState, step: StepName, at: string): DeployState {
  return { ...state, steps: { ...state.steps, [step]: { status: 'started', started_at: at } } };
}

export function end(state: DeployState, step: StepName, at: string, failure?: Failure): DeployState {
  const started = state.steps[step]?.started_at ?? at;
  const status: StepStatus = failure ? 'failed' : 'success';
  const next = { ...state, steps: { ...state.steps, [step]: { status, started_at: started, ended_at: at } } };
  return failure ? { ...next, failure: { step, code: failure.code, reason: failure.reason } } : next;
}

/** Folds the pipeline's own steps, PREFLIGHT to FLAG: each one's start, its outcome and what it found. */
export function evolvePipeline(s: DeployState, event: PipelineEvent, at: string): DeployState {
  switch (event.type) {
    case 'PREFLIGHT_START':
      return start(s, 'PREFLIGHT', at);
    case 'PREFLIGHT_PASSED':
      return {
        ...end(s, 'PREFLIGHT', at),
        checks: event.checks,
        baseline: event.baseline,
        ...(event.baseline_requests ? { baselineRequests: event.baseline_requests } : {}),
        flagBefore: event.flag,
      };
    case 'PREFLIGHT_FAILED':
      return {
        ...end(s, 'PREFLIGHT', at, event),
        checks: event.checks,
        baseline: event.baseline,
        flagBefore: event.flag ?? undefined,
      };
    case 'BUILD_START':
      return start(s, 'BUILD', at);
    case 'BUILD_SUCCESS':
      return { ...end(s, 'BUILD', at), build: { digest: event.digest, layout_dir: event.layout_dir } };
    case 'PUSH_START':
      return start(s, 'PUSH', at);
    case 'PUSH_SUCCESS':
      return { ...end(s, 'PUSH', at), pushedDigest: event.digest };
    case 'APPLY_START':
      return { ...start(s, 'APPLY', at), previousTarget: event.previous };
    case 'APPLY_SUCCESS':
      return { ...end(s, 'APPLY', at), currentTarget: event.current };
    case 'FLAG_START':
      return { ...start(s, 'FLAG', at), previousFlag: event.previous };
    case 'FLAG_ACTIVATED': {
      const next = { ...end(s, 'FLAG', at), flag: { state: event.state, percentage: event.percentage } };
      return s.request?.strategy.mode === 'canary'
        ? { ...next, canary: { percent: event.percentage, analyses: [] } }
        : next;
    }
    case 'BUILD_FAILED':
      return end(s, 'BUILD', at, event);
    case 'PUSH_FAILED':
      return end(s, 'PUSH', at, event);
    case 'APPLY_FAILED':
      return end(s, 'APPLY', at, event);
    case 'FLAG_FAILED':
      return end(s, 'FLAG', at, event);
  }
}
