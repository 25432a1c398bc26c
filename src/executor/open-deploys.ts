import { dueDeadline } from '../core/deadlines.js';
import { decide } from '../core/decider.js';
import type { DeployState } from '../core/deploy-state.js';
import { unreconciledHosts } from '../core/host-state.js';
import { isCutoverError } from '../core/errors.js';
import type { SettledDeploy } from '../ports/journal.js';
import type { ExecutorContext } from './context.js';
import { DeployRecorder } from './recorder.js';

/**
 * The deploys that may still have work, a deadline or a paused canary, folded: those the
 * journal's index holds open (docs/architecture.md#recovery-locks-and-takeover). Those found
 * settled are taken out of the index, so a finished deploy is folded by one more command, not by
 * every command after it.
 */
export async function openDeploys(ctx: ExecutorContext): Promise<DeployRecorder[]> {
  const found: DeployRecorder[] = [];
  const settled: SettledDeploy[] = [];
  for (const summary of await ctx.journal.openDeploys()) {
    // A failed deploy is never recovered; `cutover rollback` retrying its rollback appends a row.
    // Only one that left hosts unreconciled stays open: `recover` must reach them (it is folded
    // once to know; then it is settled and never read again).
    const rec = await DeployRecorder.open(ctx, summary.deploy_id);
    if (summary.last_type === 'DEPLOY_FAILED' && unreconciledHosts(rec.state).length === 0) {
      settled.push({ deployId: summary.deploy_id, seq: summary.events });
      continue;
    }
    if (rec.state.request && !isSettled(rec.state)) found.push(rec);
    else settled.push({ deployId: rec.deployId, seq: rec.state.lastSeq });
  }
  // Only an optimisation: a journal busy now leaves them open, to be settled by a later command.
  await ctx.journal.settle(settled).catch((err: unknown) => {
    if (!isCutoverError(err) || err.code !== 'E_JOURNAL_UNAVAILABLE') throw err;
  });
  return found;
}

// Later than any deadline: a deadline due by then is one the deploy still waits for.
const END_OF_TIME = new Date(8.64e15);

/** Nothing happens to the deploy without a new row: no step left, no deadline ahead, no paused canary. */
function isSettled(state: DeployState): boolean {
  return (
    decide(state).kind === 'done' &&
    !dueDeadline(state, END_OF_TIME) &&
    !isPausedCanary(state) &&
    unreconciledHosts(state).length === 0
  );
}

/** A canary that succeeded at a step below 100 % and was neither promoted nor undone since. */
export function isPausedCanary(s: DeployState): boolean {
  return (
    s.request?.strategy.mode === 'canary' &&
    s.outcome === 'succeeded' &&
    !s.promoted &&
    !s.failure &&
    (s.canary?.percent ?? 100) < 100
  );
}
