import type { DeployEventType } from './events.js';

/**
 * Every journal event type, as values: the union in events.ts exists only for the compiler, and
 * a configuration that names event types (cutover.yaml's `notify[].events`) must be checked
 * against the real names when it is read. The two checks below fail the build when this list
 * and the union drift apart, in either direction.
 */
export const DEPLOY_EVENT_TYPES = [
  'DEPLOY_REQUESTED',
  'BATCH_START',
  'BATCH_OBSERVE_START',
  'BATCH_ANALYSIS',
  'PREFLIGHT_START',
  'PREFLIGHT_PASSED',
  'PREFLIGHT_FAILED',
  'BUILD_START',
  'BUILD_SUCCESS',
  'BUILD_FAILED',
  'PUSH_START',
  'PUSH_SUCCESS',
  'PUSH_FAILED',
  'APPLY_START',
  'APPLY_SUCCESS',
  'APPLY_FAILED',
  'HOST_APPLY_START',
  'HOST_APPLY_SUCCESS',
  'HOST_APPLY_FAILED',
  'HOST_RESTORED',
  'HOST_UNRECONCILED',
  'HOST_FORGOTTEN',
  'FLAG_START',
  'FLAG_ACTIVATED',
  'FLAG_FAILED',
  'OBSERVE_START',
  'ANALYSIS_RESULT',
  'STEP_START',
  'STEP_SUCCESS',
  'STEP_FAILED',
  'PROMOTE_REQUESTED',
  'PROMOTE_START',
  'PROMOTE_SUCCESS',
  'PROMOTE_FAILED',
  'ABORT_REQUESTED',
  'APPROVAL_RECORDED',
  'ROLLBACK_REQUESTED',
  'RECOVERY_STARTED',
  'EXECUTOR_ERROR',
  'LOCK_TAKEN_OVER',
  'DEADLINE_FIRED',
  'ROLLBACK_START',
  'ROLLBACK_STEP',
  'ROLLBACK_SUCCESS',
  'ROLLBACK_FAILED',
  'DEPLOY_SUCCEEDED',
  'DEPLOY_FAILED',
] as const satisfies readonly DeployEventType[];

type Listed = (typeof DEPLOY_EVENT_TYPES)[number];
/** `true` only when every type of the union is listed above. */
type EveryTypeListed = [Exclude<DeployEventType, Listed>] extends [never] ? true : false;
const everyTypeListed: EveryTypeListed = true;
void everyTypeListed;

/** Whether `name` is a journal event type. */
export function isDeployEventType(name: string): name is DeployEventType {
  return (DEPLOY_EVENT_TYPES as readonly string[]).includes(name);
}
