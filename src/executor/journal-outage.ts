import { compensationKey, planCompensations } from '../core/compensations.js';
import { CutoverError, toCutoverError } from '../core/errors.js';
import type { StepName } from '../core/events.js';
import type { ExecutorContext } from './context.js';
import { JOURNAL_PATIENCE_MS, patienceUntil } from './journal-patience.js';
import type { DeployRecorder } from './recorder.js';
import { compensate } from './steps/rollback.js';

/**
 * The journal stayed unavailable while a deploy was under way: undo the deploy now, with the
 * compensations its journal already holds, then record that once the journal is back (trying for
 * {@link JOURNAL_PATIENCE_MS}). Returns what happened to the environment, for the last word.
 *
 * This bends the write-ahead rule on purpose. Normally ROLLBACK_START is durable before a
 * compensation runs; here the compensations run first and their records follow. Waiting instead
 * would leave a canary live and its flag on while nothing can be journaled, so nothing can be
 * judged or undone by anyone else either — the very state the journal exists to prevent. It is
 * the lesser evil because nothing here is new to the journal: each compensation restores what a
 * durable `*_START` recorded (APPLY_START's snapshot, FLAG_START's previous state), and all of
 * them are idempotent. Once the journal is back, the ordinary rollback runs through the
 * write-ahead path (ROLLBACK_START, each compensation again — a no-op now — and ROLLBACK_STEP),
 * after an EXECUTOR_ERROR that says when the environment was really put back. If this process
 * gives up first, the journal still says "under way", and `cutover recover` (or the next command
 * on that environment) rolls it back the same way and records it.
 */
export async function rollBackWithoutJournal(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  outage: CutoverError,
  step: StepName,
): Promise<Undone> {
  // Someone who took the lock over owns the deploy now, and will recover it.
  await ctx.guard?.(patienceUntil(rec.state, ctx.clock.now().getTime()));
  const environment = rec.state.request!.apply_environment;
  const compensations = planCompensations(rec.state);
  const restored: string[] = [];
  const failed: string[] = [];
  if (compensations.length > 0)
    ctx.progress(
      `  ${outage.message}; rolling back without it (recorded once it is back): ${compensations.map(compensationKey).join(', ')}`,
    );
  for (const c of compensations) {
    try {
      const detail = await compensate(ctx, c);
      restored.push(detail);
      ctx.progress(`  ${compensationKey(c)}: ${detail} (not journaled yet)`);
    } catch (err) {
      const message = `${compensationKey(c)} failed: ${toCutoverError(err).message}`;
      failed.push(message);
      ctx.progress(`  ${message}`);
    }
  }
  const complete = failed.length === 0;
  const undone = !complete
    ? `${environment} could not be fully rolled back (${failed.join('; ')})`
    : restored.length > 0
      ? `${environment} was rolled back (${restored.join('; ')})`
      : `${environment} was not changed by it`;
  const since = String(outage.details.since ?? 'the start');
  const reason = `the journal was unavailable from ${since} (${journalCause(outage)}); ${undone} at ${ctx.clock.now().toISOString()} without it, recorded once it was back`;
  try {
    await rec.record(
      { type: 'EXECUTOR_ERROR', step, code: outage.code, reason },
      { waitMs: JOURNAL_PATIENCE_MS },
    );
  } catch (err) {
    const error = toCutoverError(err);
    throw error.code === 'E_JOURNAL_UNAVAILABLE' ? notRecorded(rec, { undone, complete }, error) : error;
  }
  return { undone, complete };
}

export interface Undone {
  /** what became of the environment, e.g. `production was rolled back (…)` */
  undone: string;
  /** every compensation succeeded */
  complete: boolean;
}

/** The final word when the journal never came back: one line, what was done and what to run. */
export function notRecorded(
  rec: DeployRecorder,
  { undone, complete }: Undone,
  outage: CutoverError,
): CutoverError {
  const next = complete
    ? 'cutover recover will record it'
    : 'once it is, cutover recover will retry the rollback and record it';
  return new CutoverError(
    'E_JOURNAL_UNAVAILABLE',
    `deploy ${rec.deployId}: ${undone}, but the journal does not record it yet (${journalCause(outage)}); ${next}`,
    { ...outage.details, deploy_id: rec.deployId },
    outage,
  );
}

function journalCause(outage: CutoverError): string {
  return String(outage.details.journal_error ?? outage.message);
}
