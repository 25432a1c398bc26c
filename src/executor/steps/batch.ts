import { deployDeadlineAt } from '../../core/deadlines.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { judgeWindow } from './judge-window.js';

/**
 * Watches the batch just shipped for `batching.observe`, then judges its version against that
 * batch's own baseline with the canary analysis. Like a canary, too little traffic is inconclusive.
 * The deadline is journaled first, so a restarted executor only waits for what is left.
 */
export async function runBatchObserve(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  index: number,
  observeMs: number,
): Promise<void> {
  if (!rec.state.batchObserveUntil) {
    const until = new Date(ctx.clock.now().getTime() + observeMs).toISOString();
    await rec.record({ type: 'BATCH_OBSERVE_START', index, observe_ms: observeMs, until });
  }
  const remaining = Date.parse(rec.state.batchObserveUntil!) - ctx.clock.now().getTime();
  ctx.progress(`  observing batch ${index + 1} for ${Math.max(0, Math.round(remaining / 1000))} s`);
  // The deploy's own deadline cuts the wait short; the loop then fires it instead of judging.
  const cutoff = deployDeadlineAt(rec.state) - ctx.clock.now().getTime();
  if (cutoff < remaining) {
    await ctx.sleep(Math.max(cutoff, 0) + 1);
    return;
  }
  if (remaining > 0) await ctx.sleep(remaining);
  const analysis = await judgeWindow(ctx, rec.state, observeMs, rec.state.batchExtensions ?? 0);
  ctx.progress(`  batch ${index + 1}: ${analysis.reasons.join('; ')}`);
  await rec.record({ type: 'BATCH_ANALYSIS', index, ...analysis });
}

/** Moves the train to its next changeset; that batch then runs the whole pipeline from PREFLIGHT. */
export async function runNextBatch(ctx: ExecutorContext, rec: DeployRecorder, index: number): Promise<void> {
  const next = rec.state.request!.train![index]!;
  await rec.record({ type: 'BATCH_START', index, changeset_id: next.changeset.id, tag: next.tag });
  ctx.progress(`▸ BATCH ${index + 1}/${rec.state.batch!.count}: changeset ${next.changeset.id} ${next.tag}`);
}
