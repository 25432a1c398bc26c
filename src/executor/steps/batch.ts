import type { Command } from '../../core/command.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { observeWindow } from './observe-window.js';

/**
 * Watches the batch just shipped for `batching.observe`, then judges its version against that
 * batch's own baseline with the canary analysis. Like a canary, too little traffic is inconclusive.
 */
export async function runBatchObserve(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  { index, observeMs, shipped }: Extract<Command, { kind: 'batch-observe' }>,
): Promise<void> {
  const watch = rec.state.watch;
  const analysis = await observeWindow(ctx, rec, {
    shipped,
    observeMs,
    until: watch?.until,
    extensions: watch?.extensions ?? 0,
    start: (until) => ({ type: 'BATCH_OBSERVE_START', index, observe_ms: observeMs, until }),
    what: `observing batch ${index + 1}`,
  });
  if (!analysis) return;
  ctx.progress(`  batch ${index + 1}: ${analysis.reasons.join('; ')}`);
  await rec.record({ type: 'BATCH_ANALYSIS', index, ...analysis });
}

/** Moves the train to its next changeset; that batch then runs the whole pipeline from PREFLIGHT. */
export async function runNextBatch(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  { index, count, batch }: Extract<Command, { kind: 'next-batch' }>,
): Promise<void> {
  await rec.record({ type: 'BATCH_START', index, changeset_id: batch.changeset.id, tag: batch.tag });
  ctx.progress(`▸ BATCH ${index + 1}/${count}: changeset ${batch.changeset.id} ${batch.tag}`);
}
