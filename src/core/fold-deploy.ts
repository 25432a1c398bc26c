import { evolveCanary } from './canary-state.js';
import type { DeployState } from './deploy-state.js';
import { CutoverError } from './errors.js';
import type { DeployEvent, EventOf } from './events.js';
import { evolveHosts } from './host-state.js';
import { evolveLifecycle } from './lifecycle-state.js';
import { evolvePipeline } from './pipeline-state.js';
import { evolveRollback } from './rollback-state.js';
import { evolveTrain } from './train-state.js';

export interface FoldableRow {
  seq: number;
  at: string;
  event: DeployEvent;
}

/** The state a deploy starts in: its first row, DEPLOY_REQUESTED, folded. */
export function requestedState(
  deployId: string,
  row: FoldableRow & { event: EventOf<'DEPLOY_REQUESTED'> },
): DeployState {
  const empty = { deployId, lastSeq: row.seq, request: row.event, requestedAt: row.at, steps: {}, done: [] };
  return evolve(empty, row.event, row.seq, row.at);
}

/**
 * Folds one journal event into the state: each fold handles only its own events. Pure; unknown
 * combinations are kept as recorded.
 */
export function evolve(state: DeployState, event: DeployEvent, seq: number, at: string): DeployState {
  const s = { ...state, lastSeq: seq };
  switch (event.type) {
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
    case 'HOST_APPLY_START':
    case 'HOST_APPLY_SUCCESS':
    case 'HOST_APPLY_FAILED':
    case 'HOST_RESTORED':
    case 'HOST_UNRECONCILED':
    case 'HOST_FORGOTTEN':
      return evolveHosts(s, event);
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
      return evolveTrain(s, event);
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_START':
    case 'ROLLBACK_STEP':
    case 'ROLLBACK_SUCCESS':
    case 'ROLLBACK_FAILED':
      return evolveRollback(s, event);
    case 'DEPLOY_REQUESTED':
    case 'RECOVERY_STARTED':
    case 'LOCK_TAKEN_OVER':
    case 'EXECUTOR_ERROR':
    case 'DEADLINE_FIRED':
    case 'DEPLOY_SUCCEEDED':
    case 'DEPLOY_FAILED':
      return evolveLifecycle(s, event, at);
  }
}

/**
 * Folds a whole deploy. Its rows begin with DEPLOY_REQUESTED (the recorder writes nothing before
 * it); a deploy without rows, or whose first row is anything else, is refused.
 */
export function foldEvents(deployId: string, rows: ReadonlyArray<FoldableRow>): DeployState {
  const [first, ...rest] = rows;
  if (first === undefined) throw new CutoverError('E_NOT_FOUND', `deploy ${deployId} has no journal rows`);
  if (first.event.type !== 'DEPLOY_REQUESTED')
    throw new CutoverError(
      'E_JOURNAL_CORRUPT',
      `deploy ${deployId} does not begin with DEPLOY_REQUESTED (row ${first.seq} is ${first.event.type})`,
    );
  const start = requestedState(deployId, { ...first, event: first.event });
  return rest.reduce((state, row) => evolve(state, row.event, row.seq, row.at), start);
}
