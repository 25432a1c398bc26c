import type { HostRecord } from './model/host.js';
import type { DeadlineName, EventOf, Failure, PreflightCheck, StepName } from './events.js';
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

/** What PREFLIGHT found, recorded at once by its outcome: a passed one always measured a baseline. */
export type PreflightRecord =
  | {
      passed: true;
      checks: PreflightCheck[];
      baseline: MetricsSnapshot;
      /** the baseline's requests, bucketed, when the metrics source had them */
      baselineRequests?: RequestSample;
      flagBefore: FlagEnvironmentState;
    }
  | {
      passed: false;
      checks: PreflightCheck[];
      baseline: MetricsSnapshot | null;
      flagBefore?: FlagEnvironmentState;
    };

export interface RollbackRecord {
  status: StepStatus;
  reason: string;
  actions: string[];
  done: Record<string, 'success' | 'failed'>;
}

/**
 * What a train remembers of a batch once the next one starts: enough to report it and to undo it.
 * The batch in progress lives in the deploy state's own fields, exactly like a single deploy.
 */
export interface BatchSummary {
  /** 0-based; shown to people as `index + 1` */
  index: number;
  changeset_id: string;
  tag: string;
  flag_name: string;
  environment: string;
  digest: string | null;
  steps: Partial<Record<StepName, StepStatus>>;
  previousTarget?: TargetSnapshot;
  previousFlag?: FlagEnvironmentState;
  flag?: FlagEnvironmentState;
  analysis?: Analysis;
}

/** Where a canary is: the percent it serves now, the analyses so far, the window being observed. */
export interface CanaryProgress {
  percent: number;
  analyses: Array<Analysis & { percent: number }>;
  /** ISO 8601: when the observation at `percent` under way ends */
  observeUntil?: string;
}

/** The watch of a shipped batch (or fast-track deploy) before the deploy goes on. */
export interface BatchWatch {
  /** ISO 8601: when the window under way ends; absent once it was judged */
  until?: string;
  analysis?: Analysis;
  /** how many times the window was observed once more for being inconclusive */
  extensions: number;
}

/**
 * Everything known about one deploy, folded from its journal rows. It exists from the deploy's
 * first row, DEPLOY_REQUESTED, on: the request is always there. The fields after `steps` describe
 * the batch in progress (a single deploy is a train of one) and are absent until recorded.
 */
export interface DeployState {
  deployId: string;
  lastSeq: number;
  /** for a train, with the current batch's changeset in place of the first one's */
  request: EventOf<'DEPLOY_REQUESTED'>;
  requestedAt: string;
  steps: Partial<Record<StepName, StepRecord>>;
  preflight?: PreflightRecord;
  build?: { digest: string; layout_dir: string };
  pushedDigest?: string;
  previousTarget?: TargetSnapshot;
  currentTarget?: TargetSnapshot;
  previousFlag?: FlagEnvironmentState;
  flag?: FlagEnvironmentState;
  /** multi-host targets only: each host the deploy touched, in the order it started changing */
  hosts?: HostRecord[];
  failure?: Failure & { step: StepName };
  rollback?: RollbackRecord;
  canary?: CanaryProgress;
  promoteRequested?: string;
  promoted?: boolean;
  approval?: { state: 'approved' | 'rejected'; by: string; at: string; follow_up_deploy_id: string | null };
  /** trains only: which batch runs now, of how many */
  batch?: { index: number; count: number };
  /** trains only: the batches before the current one, oldest first */
  done: BatchSummary[];
  watch?: BatchWatch;
  recovery?: { action: 'resume' | 'rollback'; by: string; at: string };
  deadline?: { name: DeadlineName; deadline: string; action: string; at: string };
  outcome?: 'succeeded' | 'failed';
  finishedAt?: string;
}
