import { decide, type Command } from '../core/decider.js';
import { toCutoverError } from '../core/errors.js';
import type { StepName } from '../core/events.js';
import { buildResult } from '../core/result.js';
import type { DeployResult } from '../core/schema/result.js';
import type { ExecutorContext } from './context.js';
import { checkDeployDeadline } from './deadline.js';
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
 */
export async function driveDeploy(ctx: ExecutorContext, rec: DeployRecorder): Promise<DeployResult> {
  for (;;) {
    await ctx.guard?.();
    await checkDeployDeadline(ctx, rec);
    const command = decide(rec.state);
    const heading = HEADINGS[command.kind];
    if (heading) ctx.progress(`▸ ${heading}`);
    try {
      if (command.kind === 'done') return buildResult(rec.state, rec.rows);
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
 * deploy then belongs to whoever holds it, and the error goes up.
 */
async function recordStepError(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  command: Command,
  err: unknown,
): Promise<void> {
  const error = toCutoverError(err);
  const step = STEP_OF[command.kind];
  const ours = error.code === 'E_LOCK_LOST' || error.code.startsWith('E_JOURNAL');
  if (step === undefined || ours || rec.state.failure) throw error;
  ctx.progress(`  ${step} failed: ${error.message}`);
  await rec.record({ type: 'EXECUTOR_ERROR', step, code: error.code, reason: error.message });
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
