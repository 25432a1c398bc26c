import type { Changeset } from './schema/changeset.js';
import type { Strategy } from './schema/strategy.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { MetricsSnapshot, RequestSample } from './model/metrics.js';
import type { ReleaseRef } from './model/release.js';
import type { TargetSnapshot } from './model/target.js';
import type { Analysis } from './model/analysis.js';

/** Steps whose outcome appears in the actions log. */
export type StepName =
  | 'PREFLIGHT'
  | 'BUILD'
  | 'PUSH'
  | 'APPLY'
  | 'FLAG'
  | 'ANALYSIS'
  | 'STEP'
  | 'PROMOTE'
  | 'ABORT'
  /** the observation between two batches of a train */
  | 'OBSERVE'
  /** `cutover rollback` of a finished deploy */
  | 'ROLLBACK'
  /** the executor died; `cutover recover` rolled the deploy back */
  | 'RECOVER'
  | 'DEADLINE';

export interface Failure {
  code: string;
  reason: string;
}

/** One changeset of a train: what differs between its batches. */
export interface BatchRequest {
  changeset: Changeset;
  base_dir: string;
  repository: string;
  tag: string;
}

export interface PreflightCheck {
  name: 'dod' | 'feature_flag' | 'rollback_plan' | 'baseline';
  ok: boolean;
  detail: string;
}

/**
 * Everything the journal records. `*_START` events carry what is needed to undo the step
 * (previous target snapshot, previous flag state) and are durable before the step acts.
 */
export type DeployEvent =
  | {
      type: 'DEPLOY_REQUESTED';
      environment: string;
      /** environment the release is applied to (staging for manual mode) */
      apply_environment: string;
      strategy: Strategy;
      changeset: Changeset;
      base_dir: string;
      repository: string;
      tag: string;
      registry: string;
      requested_by: string;
      /** set when this deploy ships an artifact built by an earlier one (manual approval) */
      artifact_from?: { deploy_id: string; digest: string; layout_dir: string };
      /**
       * Set when several changesets deploy as one train: every batch, in order. The fields above
       * describe batch 1; `BATCH_START` switches the deploy to the next one.
       */
      train?: BatchRequest[];
    }
  | { type: 'BATCH_START'; index: number; changeset_id: string; tag: string }
  | { type: 'BATCH_OBSERVE_START'; index: number; observe_ms: number; until: string }
  | ({ type: 'BATCH_ANALYSIS'; index: number } & Analysis)
  | { type: 'PREFLIGHT_START' }
  | {
      type: 'PREFLIGHT_PASSED';
      checks: PreflightCheck[];
      baseline: MetricsSnapshot;
      /** the baseline's requests, bucketed: what a watched batch at 100 % is compared with */
      baseline_requests?: RequestSample;
      flag: FlagEnvironmentState;
    }
  | ({
      type: 'PREFLIGHT_FAILED';
      checks: PreflightCheck[];
      baseline: MetricsSnapshot | null;
      flag: FlagEnvironmentState | null;
    } & Failure)
  | { type: 'BUILD_START'; tag: string }
  | { type: 'BUILD_SUCCESS'; digest: string; layout_dir: string; size: number }
  | ({ type: 'BUILD_FAILED' } & Failure)
  | { type: 'PUSH_START'; registry: string; repository: string; tag: string; digest: string }
  | { type: 'PUSH_SUCCESS'; digest: string; already_present: boolean }
  | ({ type: 'PUSH_FAILED' } & Failure)
  | { type: 'APPLY_START'; environment: string; release: ReleaseRef; previous: TargetSnapshot }
  | { type: 'APPLY_SUCCESS'; environment: string; current: TargetSnapshot }
  | ({ type: 'APPLY_FAILED' } & Failure)
  /** one host of a target made of several (ssh), durable before the host is changed */
  | { type: 'HOST_APPLY_START'; environment: string; host: string; previous: TargetSnapshot }
  | { type: 'HOST_APPLY_SUCCESS'; environment: string; host: string; current: TargetSnapshot }
  | ({ type: 'HOST_APPLY_FAILED'; environment: string; host: string } & Failure)
  /** a rollback put the host back as it was; `unreconciled`: it could not reach it */
  | { type: 'HOST_RESTORED'; environment: string; host: string }
  | ({ type: 'HOST_UNRECONCILED'; environment: string; host: string } & Failure)
  /** an operator gave up on an unreconciled host (`cutover hosts forget`) */
  | { type: 'HOST_FORGOTTEN'; environment: string; host: string; by: string; reason: string }
  | {
      type: 'FLAG_START';
      flag: string;
      environment: string;
      previous: FlagEnvironmentState;
      desired: FlagEnvironmentState;
    }
  | { type: 'FLAG_ACTIVATED'; flag: string; environment: string; state: 'on' | 'off'; percentage: number }
  | ({ type: 'FLAG_FAILED' } & Failure)
  | { type: 'OBSERVE_START'; percent: number; observe_ms: number; until: string }
  | ({ type: 'ANALYSIS_RESULT'; percent: number } & Analysis)
  | { type: 'STEP_START'; percent: number }
  | { type: 'STEP_SUCCESS'; percent: number; current?: TargetSnapshot }
  | ({ type: 'STEP_FAILED'; percent: number } & Failure)
  | { type: 'PROMOTE_REQUESTED'; by: string }
  | { type: 'PROMOTE_START'; retire: string[] }
  | { type: 'PROMOTE_SUCCESS'; current: TargetSnapshot }
  | ({ type: 'PROMOTE_FAILED' } & Failure)
  | { type: 'ABORT_REQUESTED'; by: string; reason: string }
  | {
      type: 'APPROVAL_RECORDED';
      decision: 'approved' | 'rejected';
      by: string;
      strategy: 'fast-track' | 'canary' | null;
      follow_up_deploy_id: string | null;
    }
  | { type: 'ROLLBACK_REQUESTED'; by: string; reason: string; force: boolean }
  | {
      type: 'RECOVERY_STARTED';
      by: string;
      action: 'resume' | 'rollback';
      reason: string;
      /** the last event before the executor died */
      interrupted_after: DeployEventType;
    }
  /** a step threw outside its own START/FAILED pair (e.g. metrics unreachable while observing) */
  | ({ type: 'EXECUTOR_ERROR'; step: StepName } & Failure)
  | {
      type: 'LOCK_TAKEN_OVER';
      environment: string;
      previous_holder: string;
      /** who took it (absent in journals written before it was recorded) */
      new_holder?: string;
      reason: string;
    }
  | { type: 'DEADLINE_FIRED'; name: DeadlineName; deadline: string; action: string }
  | { type: 'ROLLBACK_START'; reason: string; actions: string[] }
  | { type: 'ROLLBACK_STEP'; action: string; status: 'success' | 'failed'; detail: string }
  | { type: 'ROLLBACK_SUCCESS' }
  | ({ type: 'ROLLBACK_FAILED' } & Failure)
  | { type: 'DEPLOY_SUCCEEDED' }
  | ({ type: 'DEPLOY_FAILED'; failed_step: StepName; rolled_back: boolean } & Failure);

export type DeployEventType = DeployEvent['type'];
export type DeadlineName = 'deploy' | 'approval' | 'promotion';
export type EventOf<T extends DeployEventType> = Extract<DeployEvent, { type: T }>;
