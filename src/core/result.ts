import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';
import type { ActionLogEntry, DeployResult } from './schema/result.js';
import { buildBatches, buildDeadline } from './result-batches.js';

interface Row {
  at: string;
  event: DeployEvent;
}

/** One actions_log entry per finished step, in the order they happened (seed §7). */
export function buildActionsLog(rows: ReadonlyArray<Row>): ActionLogEntry[] {
  const log: ActionLogEntry[] = [];
  let batch: number | null = null;
  for (const { at, event: e } of rows) {
    const before = log.length;
    switch (e.type) {
      case 'BATCH_START':
        batch = e.index + 1;
        break;
      case 'BATCH_ANALYSIS':
        log.push({
          action: 'OBSERVE',
          status: e.verdict === 'pass' ? 'success' : 'failed',
          timestamp: at,
          verdict: e.verdict,
          reasons: e.reasons,
        });
        break;
      case 'DEADLINE_FIRED':
        log.push({ action: 'DEADLINE', status: 'failed', timestamp: at, name: e.name, then: e.action });
        break;
      case 'RECOVERY_STARTED':
        log.push({ action: 'RECOVER', status: 'success', timestamp: at, then: e.action, by: e.by });
        break;
      case 'ROLLBACK_REQUESTED':
        log.push({ action: 'ROLLBACK_REQUESTED', status: 'success', timestamp: at, by: e.by });
        break;
      case 'PREFLIGHT_PASSED':
        log.push({ action: 'PREFLIGHT', status: 'success', timestamp: at });
        break;
      case 'BUILD_SUCCESS':
        log.push({ action: 'BUILD', status: 'success', timestamp: at, digest: e.digest });
        break;
      case 'PUSH_SUCCESS':
        log.push({ action: 'PUSH', status: 'success', timestamp: at, digest: e.digest, verified: true });
        break;
      case 'APPLY_SUCCESS':
        log.push({ action: 'APPLY', status: 'success', timestamp: at, environment: e.environment });
        break;
      case 'FLAG_ACTIVATED':
        log.push({
          action: 'FLAG_ACTIVATED',
          status: 'success',
          percentage: e.percentage,
          timestamp: at,
          state: e.state,
        });
        break;
      case 'PREFLIGHT_FAILED':
      case 'BUILD_FAILED':
      case 'PUSH_FAILED':
      case 'APPLY_FAILED':
      case 'FLAG_FAILED': {
        const action = e.type === 'FLAG_FAILED' ? 'FLAG_ACTIVATED' : e.type.replace(/_FAILED$/, '');
        log.push({ action, status: 'failed', timestamp: at, code: e.code, reason: e.reason });
        break;
      }
      case 'ANALYSIS_RESULT':
        log.push({
          action: 'ANALYSIS',
          status: e.verdict === 'pass' ? 'success' : 'failed',
          percentage: e.percent,
          timestamp: at,
          verdict: e.verdict,
          reasons: e.reasons,
        });
        break;
      case 'STEP_SUCCESS':
        log.push({ action: 'CANARY_STEP', status: 'success', percentage: e.percent, timestamp: at });
        break;
      case 'PROMOTE_SUCCESS':
        log.push({ action: 'PROMOTE', status: 'success', percentage: 100, timestamp: at });
        break;
      case 'STEP_FAILED':
      case 'PROMOTE_FAILED':
        log.push({
          action: e.type === 'STEP_FAILED' ? 'CANARY_STEP' : 'PROMOTE',
          status: 'failed',
          timestamp: at,
          code: e.code,
          reason: e.reason,
        });
        break;
      case 'APPROVAL_RECORDED':
        log.push({
          action: e.decision === 'approved' ? 'APPROVE' : 'REJECT',
          status: 'success',
          timestamp: at,
          by: e.by,
        });
        break;
      case 'ROLLBACK_STEP':
        log.push({ action: e.action, status: e.status, timestamp: at, detail: e.detail });
        break;
      default:
        break;
    }
    // Inside a train each entry says which batch it belongs to; rollback entries name theirs.
    if (batch !== null && !e.type.startsWith('ROLLBACK'))
      for (const entry of log.slice(before)) entry.batch = batch;
  }
  return log;
}

const NO_BASELINE = {
  latency_p95_ms: null,
  error_rate_5xx: null,
  cpu_percent: null,
  samples: 0,
  window_ms: 0,
};

/** The deploy_result document for a deploy, from its folded state and journal rows. */
export function buildResult(state: DeployState, rows: ReadonlyArray<Row>): DeployResult {
  const req = state.request;
  if (!req) throw new Error(`deploy ${state.deployId} has no DEPLOY_REQUESTED event`);
  const rolledBack = state.rollback?.status === 'success';
  const flag = rolledBack
    ? (state.previousFlag ?? state.flagBefore)
    : (state.flag ?? state.previousFlag ?? state.flagBefore);
  const failed = state.outcome === 'failed' || state.failure !== undefined;
  const last = rows[rows.length - 1]?.at ?? state.requestedAt ?? '';
  const b = state.baseline ?? NO_BASELINE;
  const result: DeployResult = {
    status: failed ? 'failed' : 'success',
    version: req.tag,
    environment: req.environment,
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
    strategy: req.strategy.mode,
    artifact: {
      repository: req.repository,
      tag: req.tag,
      digest: state.pushedDigest ?? state.build?.digest ?? null,
    },
  };
  if (req.strategy.mode === 'manual' && !failed) {
    const a = state.approval;
    result.approval = a
      ? {
          state: a.state,
          by: a.by,
          at: a.at,
          ...(a.follow_up_deploy_id ? { deploy_id: a.follow_up_deploy_id } : {}),
        }
      : { state: 'pending', applied_to: req.apply_environment, target: req.environment };
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
  return result;
}
