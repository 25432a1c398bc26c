import type { DeadlineName, DeployEvent, EventOf, Failure, PreflightCheck, StepName } from './events.js';
import { evolveCanary } from './canary-state.js';
import type { BatchSummary } from './batch-state.js';
import { evolveTrain } from './train-state.js';
import type { Analysis } from './analysis.js';
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
  /** canary progress: the percent the canary serves now and the analyses so far */
  canary?: { percent: number; analyses: Array<Analysis & { percent: number }> };
  promoteRequested?: string;
  promoted?: boolean;
  approval?: { state: 'approved' | 'rejected'; by: string; at: string; follow_up_deploy_id: string | null };
  observeUntil?: string;
  /** trains only: which batch runs now, of how many */
  batch?: { index: number; count: number };
  /** trains only: the batches before the current one, oldest first */
  done: BatchSummary[];
  batchObserveUntil?: string;
  batchAnalysis?: Analysis;
  recovery?: { action: 'resume' | 'rollback'; by: string; at: string };
  rollbackRequested?: { by: string; reason: string; force: boolean };
  deadline?: { name: DeadlineName; deadline: string; action: string; at: string };
  outcome?: 'succeeded' | 'failed';
  finishedAt?: string;
}

export function initialState(deployId: string): DeployState {
  return { deployId, lastSeq: 0, steps: {}, done: [] };
}

export function start(state: DeployState, step: StepName, at: string): DeployState {
  return { ...state, steps: { ...state.steps, [step]: { status: 'started', started_at: at } } };
}

export function end(state: DeployState, step: StepName, at: string, failure?: Failure): DeployState {
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
      return {
        ...s,
        request: event,
        requestedAt: at,
        ...(event.train ? { batch: { index: 0, count: event.train.length } } : {}),
      };
    case 'PREFLIGHT_START':
      return start(s, 'PREFLIGHT', at);
    case 'PREFLIGHT_PASSED':
      return {
        ...end(s, 'PREFLIGHT', at),
        checks: event.checks,
        baseline: event.baseline,
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
    case 'OBSERVE_START':
    case 'ANALYSIS_RESULT':
    case 'STEP_START':
    case 'STEP_SUCCESS':
    case 'STEP_FAILED':
    case 'PROMOTE_REQUESTED':
    case 'PROMOTE_START':
    case 'PROMOTE_SUCCESS':
    case 'PROMOTE_FAILED':
    case 'ABORT_REQUESTED':
    case 'APPROVAL_RECORDED':
      return evolveCanary(s, event, at);
    case 'BATCH_START':
    case 'BATCH_OBSERVE_START':
    case 'BATCH_ANALYSIS':
    case 'ROLLBACK_REQUESTED':
    case 'RECOVERY_STARTED':
    case 'LOCK_TAKEN_OVER':
    case 'EXECUTOR_ERROR':
    case 'DEADLINE_FIRED':
      return evolveTrain(s, event, at);
    case 'ROLLBACK_START':
      return {
        ...s,
        rollback: { status: 'started', reason: event.reason, actions: event.actions, done: {} },
      };
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
