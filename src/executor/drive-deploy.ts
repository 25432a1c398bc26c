import type { Command } from '../core/command.js';
import { decide } from '../core/decider.js';
import { toCutoverError } from '../core/errors.js';
import type { StepName } from '../core/events.js';
import { buildResult } from '../core/result.js';
import type { DeployResult } from '../core/schema/result.js';
import { stepInProgress } from '../core/step-record.js';
import type { ExecutorContext } from './context.js';
import { checkDeployDeadline } from './deadline.js';
import { notRecorded, rollBackWithoutJournal } from './journal-outage.js';
import type { DeployRecorder } from './recorder.js';
import { runCommand } from './run-command.js';

const HEADINGS: Record<string, string> = {
  preflight: 'PREFLIGHT',
  observe: 'ANALYSIS',
  build: 'BUILD',
  push: 'PUSH',
  apply: 'APPLY',
  'set-flag': 'FLAG',
  'canary-step': 'STEP',
  promote: 'PROMOTE',
  'start-rollback': 'ROLLBACK',
};

/**
 * The executor loop: decide from the journal-backed state, act through a port, record, repeat.
 * Run on a new deploy it performs it; run on an interrupted one it resumes or rolls it back.
 *
 * A journal that stays unavailable while the deploy is under way (not at rest in the journal:
 * finished, failed, or a canary paused at its step) does not leave it half-done: it is rolled
 * back without the journal, then the loop runs again to record that rollback once it is back.
 */
export async function driveDeploy(ctx: ExecutorContext, rec: DeployRecorder): Promise<DeployResult> {
  try {
    return await loop(ctx, rec);
  } catch (err) {
    const error = toCutoverError(err);
    const command = decide(rec.state);
    if (error.code !== 'E_JOURNAL_UNAVAILABLE' || command.kind === 'done') throw error;
    const undone = await rollBackWithoutJournal(ctx, rec, error, stepOf(rec, command));
    return loop(ctx, rec).catch((again: unknown) => {
      const still = toCutoverError(again);
      throw still.code === 'E_JOURNAL_UNAVAILABLE' ? notRecorded(rec, undone, still) : still;
    });
  }
}

async function loop(ctx: ExecutorContext, rec: DeployRecorder): Promise<DeployResult> {
  for (;;) {
    await ctx.guard?.();
    await checkDeployDeadline(ctx, rec);
    const command = decide(rec.state);
    const heading = HEADINGS[command.kind];
    if (heading) ctx.progress(`▸ ${heading}`);
    try {
      if (command.kind === 'done') return buildResult(rec.state, rec.rows, true);
      await runCommand(ctx, rec, command);
    } catch (err) {
      await recordStepError(ctx, rec, command, err);
    }
  }
}

/**
 * A forward step that threw outside its START/FAILED pair (the metrics source went away while
 * observing, the target could not be read before APPLY) fails the deploy, so the loop undoes it
 * instead of leaving it half-done. Losing the lock or the journal is not a step failure: the
 * deploy then belongs to whoever holds it, or is undone without the journal, and the error goes up.
 */
async function recordStepError(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  command: Command,
  err: unknown,
): Promise<void> {
  const error = toCutoverError(err);
  const step = STEP_OF[command.kind];
  const ours =
    error.code === 'E_LOCK_LOST' ||
    error.code === 'E_STALE_FENCING_TOKEN' ||
    error.code === 'E_STATE_UNAVAILABLE' ||
    error.code.startsWith('E_JOURNAL');
  if (step === undefined || ours || rec.state.failure) throw error;
  ctx.progress(`  ${step} failed: ${error.message}`);
  await rec.record({ type: 'EXECUTOR_ERROR', step, code: error.code, reason: error.message });
}

/** The step a command belongs to, for the record of a failure that struck while running it. */
function stepOf(rec: DeployRecorder, command: Command): StepName {
  return STEP_OF[command.kind] ?? rec.state.failure?.step ?? stepInProgress(rec.state);
}

const STEP_OF: Partial<Record<Command['kind'], StepName>> = {
  preflight: 'PREFLIGHT',
  build: 'BUILD',
  push: 'PUSH',
  apply: 'APPLY',
  'set-flag': 'FLAG',
  observe: 'ANALYSIS',
  'canary-step': 'STEP',
  promote: 'PROMOTE',
  'batch-observe': 'OBSERVE',
};
