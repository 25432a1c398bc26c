import { decide } from './decider.js';
import type { DeployState } from './deploy-state.js';

/**
 * Where a deploy is, as the result's `state` and `cutover status` show it: a closed set, each
 * value with the verbs that move a deploy out of it (README, "Deploy states").
 */
export const DEPLOY_PHASES = [
  'running',
  'interrupted',
  'paused',
  'awaiting_approval',
  'success',
  'rejected',
  'failed',
  'rolled_back',
  'rollback_failed',
] as const;

export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** The seed's `status`: `pending` for what has not ended, so `success` never names unfinished work. */
export type SeedStatus = 'success' | 'failed' | 'pending';

/**
 * The deploy's phase, from its folded journal and whether a live executor works on it now (the
 * journal alone cannot tell a deploy being run from one whose executor died: only the holder of
 * the environment's lock can). A deploy with work left is `running` or `interrupted`; one that
 * ended is named by how.
 */
export function deployPhase(state: DeployState, executorAlive: boolean): DeployPhase {
  if (decide(state).kind !== 'done') return executorAlive ? 'running' : 'interrupted';
  if (state.outcome === 'failed') {
    if (state.rollback?.status === 'failed') return 'rollback_failed';
    return state.rollback?.status === 'success' ? 'rolled_back' : 'failed';
  }
  if (state.approval?.state === 'rejected') return 'rejected';
  if (state.request.strategy.mode === 'manual' && !state.approval && !state.request.artifact_from)
    return 'awaiting_approval';
  if (isLeftAtStep(state)) return 'paused';
  return 'success';
}

/** A canary that ended at a step below 100 %, neither promoted nor undone since. */
function isLeftAtStep(s: DeployState): boolean {
  return s.request.strategy.mode === 'canary' && !s.promoted && (s.canary?.percent ?? 100) < 100;
}

/** What the seed's `status` says of each phase: success only once nothing is left to do. */
export function seedStatus(phase: DeployPhase): SeedStatus {
  switch (phase) {
    case 'success':
      return 'success';
    case 'failed':
    case 'rolled_back':
    case 'rollback_failed':
    case 'rejected':
      return 'failed';
    case 'running':
    case 'interrupted':
    case 'paused':
    case 'awaiting_approval':
      return 'pending';
  }
}

/** Phases a deploy, promote or approve may end in and still exit 0: nothing failed. */
export function phaseExitCode(phase: DeployPhase): 0 | 1 {
  return phase === 'success' || phase === 'paused' || phase === 'awaiting_approval' ? 0 : 1;
}
