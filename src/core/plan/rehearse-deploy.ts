import type { Command } from '../command.js';
import type { Compensation } from '../compensations.js';
import { decide } from '../decider.js';
import type { DeployState } from '../deploy-state.js';
import { evolve, requestedState } from '../fold-deploy.js';
import { CutoverError } from '../errors.js';
import type { DeployEvent, EventOf, StepName } from '../events.js';
import type { MetricsSnapshot } from '../model/metrics.js';
import { succeed, type World } from './rehearsal-world.js';

/** One command the decider gave, the batch (0-based) it belongs to, and what it was decided from. */
export interface Move {
  batch: number;
  command: Command;
  /** the folded state the command was decided from */
  state: DeployState;
  before: World;
  /** the world once the command succeeded */
  after: World;
}

/** What a failure at one point undoes, as the decider plans it, and what served at that point. */
export interface FailurePoint {
  compensations: Compensation[];
  world: World;
}

export interface Rehearsal {
  moves: Move[];
  /** the state once the deploy reported its outcome */
  final: DeployState;
  /** per batch (0-based): a failure before its APPLY, and one after its last step */
  failures: Array<{ beforeApply: FailurePoint; afterFlag: FailurePoint }>;
}

// Far more commands than any strategy the schema accepts can produce (100 canary steps × 3 batches).
const MAX_MOVES = 10_000;

/**
 * Runs the real decider over a deploy in which every step succeeds and every analysis passes, so
 * the plan is the path a deploy takes, not a second description of it. At each batch's two
 * failure points, a failure is folded in and the decider's rollback command read back.
 */
export function rehearseDeploy(
  request: EventOf<'DEPLOY_REQUESTED'>,
  start: World,
  baseline: MetricsSnapshot,
): Rehearsal {
  let state = requestedState('plan', { seq: 1, at: '', event: request });
  const fold = (event: DeployEvent) => (state = evolve(state, event, state.lastSeq + 1, ''));
  if (request.train)
    fold({ type: 'BATCH_START', index: 0, changeset_id: request.changeset.id, tag: request.tag });
  let world = start;
  const moves: Move[] = [];
  const beforeApply: FailurePoint[] = [];
  const afterFlag: FailurePoint[] = [];
  for (let i = 0; i < MAX_MOVES; i++) {
    const command = decide(state);
    const batch = state.batch?.index ?? 0;
    // Where a failure undoes the least and the most of this batch: nothing of it yet, or all of it.
    if (command.kind === 'apply') beforeApply[batch] = failAt(state, world, 'PUSH');
    if (command.kind === 'next-batch' || command.kind === 'succeed')
      afterFlag[batch] = failAt(state, world, 'OBSERVE');
    if (command.kind === 'done') {
      const failures = afterFlag.map((after, b) => ({ beforeApply: beforeApply[b]!, afterFlag: after }));
      return { moves, final: state, failures };
    }
    const done = succeed(command, state, world, baseline);
    moves.push({ batch, command, state, before: world, after: done.world });
    done.events.forEach(fold);
    world = done.world;
  }
  throw new CutoverError('E_INTERNAL', `the rehearsal of the deploy did not end after ${MAX_MOVES} commands`);
}

/** The decider's answer to a failure of `step` in `state`: its compensations, or none at all. */
function failAt(state: DeployState, world: World, step: StepName): FailurePoint {
  const failed = evolve(
    state,
    { type: 'EXECUTOR_ERROR', step, code: 'E_PLAN', reason: 'rehearsed failure' },
    state.lastSeq + 1,
    '',
  );
  const command = decide(failed);
  return { compensations: command.kind === 'start-rollback' ? command.compensations : [], world };
}
