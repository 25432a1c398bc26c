import type { DeployEvent, EventOf, Failure, PreflightCheck, StepName } from './events.js';
import type { FlagEnvironmentState } from '../ports/flags.js';
import type { MetricsSnapshot } from '../ports/metrics.js';
import type { TargetSnapshot } from '../ports/target.js';

export type StepStatus = 'started' | 'success' | 'failed';

export interface StepRecord {
  status: StepStatus;
  started_at: string;
  ended_at?: string;
}

export interface RollbackRecord {
  status: StepStatus;
  reason: string;
  actions: string[];
  done: Record<string, 'success' | 'failed'>;
}

/** Everything known about one deploy, folded from its journal rows. */
export interface DeployState {
  deployId: string;
  lastSeq: number;
  request?: EventOf<'DEPLOY_REQUESTED'>;
  requestedAt?: string;
  steps: Partial<Record<StepName, StepRecord>>;
  checks?: PreflightCheck[];
  baseline?: MetricsSnapshot | null;
  build?: { digest: string; layout_dir: string };
  pushedDigest?: string;
  previousTarget?: TargetSnapshot;
  currentTarget?: TargetSnapshot;
  /** the flag as PREFLIGHT found it */
  flagBefore?: FlagEnvironmentState;
  previousFlag?: FlagEnvironmentState;
  flag?: FlagEnvironmentState;
  failure?: Failure & { step: StepName };
  rollback?: RollbackRecord;
  outcome?: 'succeeded' | 'failed';
  finishedAt?: string;
}

export function initialState(deployId: string): DeployState {
  return { deployId, lastSeq: 0, steps: {} };
}

function start(state: DeployState, step: StepName, at: string): DeployState {
  return { ...state, steps: { ...state.steps, [step]: { status: 'started', started_at: at } } };
}

function end(state: DeployState, step: StepName, at: string, failure?: Failure): DeployState {
  const started = state.steps[step]?.started_at ?? at;
  const status: StepStatus = failure ? 'failed' : 'success';
  const next = { ...state, steps: { ...state.steps, [step]: { status, started_at: started, ended_at: at } } };
  return failure ? { ...next, failure: { step, code: failure.code, reason: failure.reason } } : next;
}

/** Folds one journal event into the state. Pure; unknown combinations are kept as recorded. */
export function evolve(state: DeployState, event: DeployEvent, seq: number, at: string): DeployState {
  const s = { ...state, lastSeq: seq };
  switch (event.type) {
    case 'DEPLOY_REQUESTED':
      return { ...s, request: event, requestedAt: at };
    case 'PREFLIGHT_START':
      return start(s, 'PREFLIGHT', at);
    case 'PREFLIGHT_PASSED':
      return { ...end(s, 'PREFLIGHT', at), checks: event.checks, baseline: event.baseline, flagBefore: event.flag };
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
    case 'FLAG_ACTIVATED':
      return { ...end(s, 'FLAG', at), flag: { state: event.state, percentage: event.percentage } };
    case 'BUILD_FAILED':
      return end(s, 'BUILD', at, event);
    case 'PUSH_FAILED':
      return end(s, 'PUSH', at, event);
    case 'APPLY_FAILED':
      return end(s, 'APPLY', at, event);
    case 'FLAG_FAILED':
      return end(s, 'FLAG', at, event);
    case 'ROLLBACK_START':
      return { ...s, rollback: { status: 'started', reason: event.reason, actions: event.actions, done: {} } };
    case 'ROLLBACK_STEP': {
      const rb = s.rollback!;
      return { ...s, rollback: { ...rb, done: { ...rb.done, [event.action]: event.status } } };
    }
    case 'ROLLBACK_SUCCESS':
      return { ...s, rollback: { ...s.rollback!, status: 'success' } };
    case 'ROLLBACK_FAILED':
      return { ...s, rollback: { ...s.rollback!, status: 'failed' } };
    case 'DEPLOY_SUCCEEDED':
      return { ...s, outcome: 'succeeded', finishedAt: at };
    case 'DEPLOY_FAILED':
      return { ...s, outcome: 'failed', finishedAt: at };
  }
}

export function foldEvents(
  deployId: string,
  rows: ReadonlyArray<{ seq: number; at: string; event: DeployEvent }>,
): DeployState {
  return rows.reduce((state, row) => evolve(state, row.event, row.seq, row.at), initialState(deployId));
}
