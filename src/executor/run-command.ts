import type { Command } from '../core/command.js';
import { assertNever } from '../core/errors.js';
import { compensationKey } from '../core/compensations.js';
import type { ExecutorContext } from './context.js';
import type { DeployRecorder } from './recorder.js';
import { runApply } from './steps/apply.js';
import { runBatchObserve, runNextBatch } from './steps/batch.js';
import { runBuild, runPush } from './steps/build-and-push.js';
import { runCanaryStep, runObserve, runPromote } from './steps/canary.js';
import { runPreflight } from './steps/preflight.js';
import { runCompensation } from './steps/rollback.js';
import { runSetFlag } from './steps/set-flag.js';

/** Carries out one command of the decider: the step it names, or the record that ends a phase. */
export async function runCommand(ctx: ExecutorContext, rec: DeployRecorder, command: Command): Promise<void> {
  switch (command.kind) {
    case 'preflight':
      return runPreflight(ctx, rec);
    case 'build':
      return runBuild(ctx, rec);
    case 'push':
      return runPush(ctx, rec, command.built);
    case 'apply':
      return runApply(ctx, rec, command.release);
    case 'set-flag':
      return runSetFlag(ctx, rec, command.desired);
    case 'observe':
      return runObserve(ctx, rec, command);
    case 'canary-step':
      return runCanaryStep(ctx, rec, command);
    case 'promote':
      return runPromote(ctx, rec, command.release);
    case 'batch-observe':
      return runBatchObserve(ctx, rec, command);
    case 'next-batch':
      return runNextBatch(ctx, rec, command);
    case 'start-rollback': {
      const actions = command.compensations.map(compensationKey);
      ctx.progress(`  ${command.reason}; undoing ${actions.join(', ')}`);
      await rec.record({ type: 'ROLLBACK_START', reason: command.reason, actions });
      return;
    }
    case 'compensate':
      return runCompensation(ctx, rec, command.compensation);
    case 'end-rollback':
      if (command.failed.length === 0) await rec.record({ type: 'ROLLBACK_SUCCESS' });
      else
        await rec.record({
          type: 'ROLLBACK_FAILED',
          code: 'E_APPLY_FAILED',
          reason: `could not undo ${command.failed.join(', ')}`,
        });
      return;
    case 'fail':
      await rec.record({
        type: 'DEPLOY_FAILED',
        failed_step: command.step,
        code: command.code,
        reason: command.reason,
        rolled_back: command.rolledBack,
      });
      return;
    case 'succeed':
      await rec.record({ type: 'DEPLOY_SUCCEEDED' });
      return;
    case 'done':
      return;
    default:
      assertNever(command);
  }
}
