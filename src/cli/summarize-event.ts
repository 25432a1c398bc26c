import type { DeployEvent } from '../core/events.js';

/** One human line per journal event for `cutover log`. */
export function summarizeEvent(e: DeployEvent): string {
  switch (e.type) {
    case 'DEPLOY_REQUESTED':
      return e.train
        ? `train of ${e.train.length}: ${e.train.map((b) => `${b.changeset.service} ${b.tag}`).join(', ')} → ${e.environment} (${e.strategy.mode}) by ${e.requested_by}`
        : `${e.changeset.service} ${e.tag} → ${e.environment} (${e.strategy.mode}) by ${e.requested_by}`;
    case 'BATCH_START':
      return `batch ${e.index + 1}: changeset ${e.changeset_id} ${e.tag}`;
    case 'BATCH_OBSERVE_START':
      return `batch ${e.index + 1} until ${e.until}`;
    case 'BATCH_ANALYSIS':
      return `batch ${e.index + 1} ${e.verdict}: ${e.reasons.join('; ')}`;
    case 'ROLLBACK_REQUESTED':
      return `by ${e.by}${e.force ? ' (forced)' : ''}: ${e.reason}`;
    case 'RECOVERY_STARTED':
      return `${e.action} by ${e.by}, interrupted after ${e.interrupted_after}: ${e.reason}`;
    case 'EXECUTOR_ERROR':
      return `${e.step}: ${e.code}: ${e.reason}`;
    case 'LOCK_TAKEN_OVER':
      return `${e.environment} from ${e.previous_holder}${e.new_holder ? ` to ${e.new_holder}` : ''}: ${e.reason}`;
    case 'DEADLINE_FIRED':
      return `${e.name} deadline ${e.deadline} passed → ${e.action}`;
    case 'PREFLIGHT_PASSED':
      return e.checks.map((c) => c.detail).join('; ');
    case 'BUILD_START':
      return e.tag;
    case 'BUILD_SUCCESS':
      return `${e.digest} (${e.size} bytes)`;
    case 'PUSH_START':
      return `${e.registry}:${e.tag}`;
    case 'PUSH_SUCCESS':
      return `${e.digest}${e.already_present ? ' (already present)' : ''}`;
    case 'APPLY_START':
      return `${e.release.tag} → ${e.environment} (was: ${e.previous.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ') || 'nothing'})`;
    case 'APPLY_SUCCESS':
      return e.current.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ');
    case 'HOST_APPLY_START':
      return `${e.host} (was: ${e.previous.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ') || 'nothing'})`;
    case 'HOST_APPLY_SUCCESS':
      return `${e.host}: ${e.current.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ')}`;
    case 'HOST_APPLY_FAILED':
    case 'HOST_UNRECONCILED':
      return `${e.host}: ${e.code}: ${e.reason}`;
    case 'HOST_RESTORED':
      return e.host;
    case 'HOST_FORGOTTEN':
      return `${e.host} by ${e.by}: ${e.reason}`;
    case 'FLAG_START':
      return `${e.flag}@${e.environment}: ${e.previous.state} ${e.previous.percentage} % → ${e.desired.state} ${e.desired.percentage} %`;
    case 'FLAG_ACTIVATED':
      return `${e.flag}@${e.environment} ${e.state} ${e.percentage} %`;
    case 'OBSERVE_START':
      return `canary at ${e.percent} % until ${e.until}`;
    case 'ANALYSIS_RESULT':
      return `${e.verdict} at ${e.percent} %: ${e.reasons.join('; ')}`;
    case 'STEP_START':
    case 'STEP_SUCCESS':
      return `canary ${e.percent} %`;
    case 'PROMOTE_REQUESTED':
      return `by ${e.by}`;
    case 'PROMOTE_START':
      return `retire ${e.retire.join(', ') || 'nothing'}`;
    case 'PROMOTE_SUCCESS':
      return e.current.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ');
    case 'ABORT_REQUESTED':
      return `by ${e.by}: ${e.reason}`;
    case 'APPROVAL_RECORDED':
      return `${e.decision} by ${e.by}${e.follow_up_deploy_id ? `; shipped by deploy ${e.follow_up_deploy_id} (${e.strategy})` : ''}`;
    case 'STEP_FAILED':
    case 'PROMOTE_FAILED':
      return `${e.code}: ${e.reason}`;
    case 'ROLLBACK_START':
      return `${e.reason}; undo ${e.actions.join(', ')}`;
    case 'ROLLBACK_STEP':
      return `${e.action} ${e.status}: ${e.detail}`;
    case 'PREFLIGHT_FAILED':
    case 'BUILD_FAILED':
    case 'PUSH_FAILED':
    case 'APPLY_FAILED':
    case 'FLAG_FAILED':
    case 'ROLLBACK_FAILED':
      return `${e.code}: ${e.reason}`;
    case 'DEPLOY_FAILED':
      return `${e.failed_step}: ${e.reason}${e.rolled_back ? ' (rolled back)' : ''}`;
    case 'PREFLIGHT_START':
    case 'ROLLBACK_SUCCESS':
    case 'DEPLOY_SUCCEEDED':
      return '';
  }
}
