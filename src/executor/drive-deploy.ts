import { decide, type Command } from '../core/decider.js';
import { assertNever, toCutoverError } from '../core/errors.js';
import type { StepName } from '../core/events.js';
import { buildResult } from '../core/result.js';
import type { DeployResult } from '../core/schema/result.js';
import type { ExecutorContext } from './context.js';
import type { DeployRecorder } from './recorder.js';
import { runApply } from './steps/apply.js';
import { runBuild, runPush } from './steps/build-and-push.js';
import { runPreflight } from './steps/preflight.js';
import { runCanaryStep, runObserve, runPromote } from './steps/canary.js';
import { runCompensation } from './steps/rollback.js';
import { runBatchObserve, runNextBatch } from './steps/batch.js';
import { compensationKey } from '../core/compensations.js';
import { checkDeployDeadline } from './deadline.js';
import { runSetFlag } from './steps/set-flag.js';

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
      await run(ctx, rec, command);
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

async function run(ctx: ExecutorContext, rec: DeployRecorder, command: Command): Promise<void> {
  switch (command.kind) {
    case 'preflight':
      await runPreflight(ctx, rec);
      break;
    case 'build':
      await runBuild(ctx, rec);
      break;
    case 'push':
      await runPush(ctx, rec);
      break;
    case 'apply':
      await runApply(ctx, rec);
      break;
    case 'set-flag':
      await runSetFlag(ctx, rec, command.desired);
      break;
    case 'observe':
      await runObserve(ctx, rec, command.percent, command.observeMs);
      break;
    case 'canary-step':
      await runCanaryStep(ctx, rec, command.percent);
      break;
    case 'promote':
      await runPromote(ctx, rec);
      break;
    case 'batch-observe':
      await runBatchObserve(ctx, rec, command.index, command.observeMs);
      break;
    case 'next-batch':
      await runNextBatch(ctx, rec, command.index);
      break;
    case 'start-rollback': {
      const actions = command.compensations.map(compensationKey);
      ctx.progress(`  ${command.reason}; undoing ${actions.join(', ')}`);
      await rec.record({ type: 'ROLLBACK_START', reason: command.reason, actions });
      break;
    }
    case 'compensate':
      await runCompensation(ctx, rec, command.compensation);
      break;
    case 'end-rollback':
      if (command.failed.length === 0) await rec.record({ type: 'ROLLBACK_SUCCESS' });
      else
        await rec.record({
          type: 'ROLLBACK_FAILED',
          code: 'E_APPLY_FAILED',
          reason: `could not undo ${command.failed.join(', ')}`,
        });
      break;
    case 'fail':
      await rec.record({
        type: 'DEPLOY_FAILED',
        failed_step: command.step,
        code: command.code,
        reason: command.reason,
        rolled_back: command.rolledBack,
      });
      break;
    case 'succeed':
      await rec.record({ type: 'DEPLOY_SUCCEEDED' });
      break;
    case 'done':
      return;
    default:
      assertNever(command);
  }
}
