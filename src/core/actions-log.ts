import type { DeployEvent } from './events.js';
import type { ActionLogEntry } from './schema/result.js';

interface Row {
  at: string;
  event: DeployEvent;
}

/**
 * One actions_log entry per finished step, in the order they happened
 * (docs/architecture.md#seed-terms, step 7).
 */
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
          status: e.verdict === 'pass' || e.verdict === 'extend' ? 'success' : 'failed',
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
          status: e.verdict === 'pass' || e.verdict === 'extend' ? 'success' : 'failed',
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
