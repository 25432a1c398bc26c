import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';
import type { DeployResult } from './schema/result.js';
import { buildActionsLog } from './actions-log.js';
import { deployPhase, seedStatus } from './deploy-phase.js';
import { buildBatches, buildDeadline } from './result-batches.js';

interface Row {
  at: string;
  event: DeployEvent;
}

const NO_BASELINE = {
  latency_p95_ms: null,
  error_rate_5xx: null,
  cpu_percent: null,
  samples: 0,
  window_ms: 0,
};

/**
 * The deploy_result document for a deploy, from its folded state and journal rows, and whether a
 * live executor works on it now (what tells `running` from `interrupted`, see deploy-phase.ts).
 */
export function buildResult(
  state: DeployState,
  rows: ReadonlyArray<Row>,
  executorAlive: boolean,
): DeployResult {
  const req = state.request;
  const flagBefore = state.preflight?.flagBefore;
  const rolledBack = state.rollback?.status === 'success';
  const flag = rolledBack
    ? (state.previousFlag ?? flagBefore)
    : (state.flag ?? state.previousFlag ?? flagBefore);
  const failed = state.outcome === 'failed' || state.failure !== undefined;
  const last = rows[rows.length - 1]?.at ?? state.requestedAt;
  const b = state.preflight?.baseline ?? NO_BASELINE;
  const phase = deployPhase(state, executorAlive);
  const result: DeployResult = {
    status: seedStatus(phase),
    version: req.tag,
    // where the version runs: a manual deploy's staging, not the environment it waits for
    environment: req.apply_environment,
    flag_status: {
      name: req.changeset.feature_flag,
      state: flag ? flag.state : 'missing',
      percentage: flag ? flag.percentage : null,
    },
    actions_log: buildActionsLog(rows),
    baseline_snapshot: {
      latency_p95_ms: b.latency_p95_ms,
      error_rate_5xx: b.error_rate_5xx,
      cpu_percent: b.cpu_percent,
      samples: b.samples,
      window_ms: b.window_ms,
    },
    timestamp: state.finishedAt ?? last,
    deploy_id: state.deployId,
    state: phase,
    strategy: req.strategy.mode,
    artifact: {
      repository: req.repository,
      tag: req.tag,
      digest: state.pushedDigest ?? state.build?.digest ?? null,
    },
  };
  if (req.strategy.mode === 'manual' && !failed) {
    const a = state.approval;
    const waits = { applied_to: req.apply_environment, target: req.environment };
    result.approval = a
      ? {
          state: a.state,
          by: a.by,
          at: a.at,
          ...(a.follow_up_deploy_id ? { deploy_id: a.follow_up_deploy_id } : {}),
          ...waits,
        }
      : { state: 'pending', ...waits };
  }
  if (req.artifact_from)
    result.approval = { state: 'approved', from_deploy: req.artifact_from.deploy_id, by: req.requested_by };
  const analyses = state.canary?.analyses ?? [];
  if (analyses.length > 0) result.analysis = analyses.map((a) => ({ ...a }));
  if (state.canary && !failed)
    result.canary = {
      percentage: state.canary.percent,
      state: state.canary.percent >= 100 || state.promoted ? 'promoted' : 'paused',
    };
  const batches = buildBatches(state);
  if (batches) result.batches = batches;
  const deadline = buildDeadline(state);
  if (deadline) result.deadline = deadline;
  if (state.recovery) result.recovery = { ...state.recovery };
  if (state.failure) {
    result.reason = state.failure.reason;
    result.failed_step = state.failure.step;
  }
  if (state.rollback) {
    result.rollback = { status: state.rollback.status, actions: state.rollback.actions };
  }
  if (state.hosts) result.hosts = state.hosts.map((h) => ({ ...h }));
  return result;
}
