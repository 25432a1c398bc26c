import type { DeadlineName, DeployEvent, EventOf, Failure, PreflightCheck, StepName } from './events.js';
import { evolveCanary } from './canary-state.js';
import type { BatchSummary } from './batch-state.js';
import { evolveTrain } from './train-state.js';
import { evolveRollback, type RollbackRecord } from './rollback-state.js';
import { evolvePipeline } from './pipeline-state.js';
import type { Analysis } from './model/analysis.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { MetricsSnapshot, RequestSample } from './model/metrics.js';
import type { TargetSnapshot } from './model/target.js';

export type StepStatus = 'started' | 'success' | 'failed';

export interface StepRecord {
  status: StepStatus;
  started_at: string;
  ended_at?: string;
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
  baselineRequests?: RequestSample;
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
  /** how many times the current batch's observation was extended for being inconclusive */
  batchExtensions?: number;
  recovery?: { action: 'resume' | 'rollback'; by: string; at: string };
  rollbackRequested?: { by: string; reason: string; force: boolean };
  deadline?: { name: DeadlineName; deadline: string; action: string; at: string };
  outcome?: 'succeeded' | 'failed';
  finishedAt?: string;
}

export function initialState(deployId: string): DeployState {
  return { deployId, lastSeq: 0, steps: {}, done: [] };
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
    case 'PREFLIGHT_PASSED':
    case 'PREFLIGHT_FAILED':
    case 'BUILD_START':
    case 'BUILD_SUCCESS':
    case 'PUSH_START':
    case 'PUSH_SUCCESS':
    case 'APPLY_START':
    case 'APPLY_SUCCESS':
    case 'FLAG_START':
    case 'FLAG_ACTIVATED':
    case 'BUILD_FAILED':
    case 'PUSH_FAILED':
    case 'APPLY_FAILED':
    case 'FLAG_FAILED':
      return evolvePipeline(s, event, at);
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
    case 'RECOVERY_STARTED':
    case 'LOCK_TAKEN_OVER':
    case 'EXECUTOR_ERROR':
    case 'DEADLINE_FIRED':
      return evolveTrain(s, event, at);
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_START':
    case 'ROLLBACK_STEP':
    case 'ROLLBACK_SUCCESS':
    case 'ROLLBACK_FAILED':
      return evolveRollback(s, event);
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
