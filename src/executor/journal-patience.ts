import { deployDeadlineAt } from '../core/deadlines.js';
import type { DeployState } from '../core/deploy-state.js';
import { CutoverError, isCutoverError } from '../core/errors.js';
import type { ExecutorContext } from './context.js';

/**
 * The longest an append waits for an unavailable journal (busy, locked, I/O error) before the
 * deploy gives up on it and rolls back without it; then, how long it keeps trying to record
 * that rollback. Long enough for a backup or a `sqlite3` session that holds the file briefly.
 */
export const JOURNAL_PATIENCE_MS = 30_000;
/** A deploy at (or past) its deadline still rides out a blip this long. */
const MIN_PATIENCE_MS = 5_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
const REPORT_EVERY_MS = 5_000;

type PatienceContext = Pick<ExecutorContext, 'clock' | 'sleep' | 'progress'>;

/**
 * Until when (epoch ms) an append may wait: {@link JOURNAL_PATIENCE_MS}, and never past the
 * running deploy's `deadlines.deploy` — waiting on the journal must not stretch a deploy's
 * deadline, and a canary nobody can journal about should not stay live for long.
 */
export function patienceUntil(state: DeployState, now: number): number {
  const deadline = deployDeadlineAt(state);
  return Math.max(now + MIN_PATIENCE_MS, Math.min(now + JOURNAL_PATIENCE_MS, deadline));
}

function isCode(err: unknown, code: string): err is CutoverError {
  return isCutoverError(err) && err.code === code;
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/**
 * Runs `attempt` (one append) until it succeeds, retrying with backoff while it fails
 * `E_JOURNAL_UNAVAILABLE` and `until` has not passed; then throws `E_JOURNAL_UNAVAILABLE` saying
 * what could not be recorded and for how long. A conflict after an unavailable attempt may be that
 * attempt's commit landing after all: `committed` finds the row if so.
 */
export async function appendPatiently<T>(
  ctx: PatienceContext,
  what: string,
  until: number,
  attempt: () => Promise<T>,
  committed: () => Promise<T | undefined>,
): Promise<T> {
  let since: number | undefined;
  let reported: number | undefined;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    try {
      const row = await attempt();
      if (since !== undefined)
        ctx.progress(
          `  the journal is available again after ${seconds(ctx.clock.now().getTime() - since)} s`,
        );
      return row;
    } catch (err) {
      if (since !== undefined && isCode(err, 'E_JOURNAL_CONFLICT')) {
        const row = await committed();
        if (row !== undefined) return row;
      }
      if (!isCode(err, 'E_JOURNAL_UNAVAILABLE')) throw err;
      const now = ctx.clock.now().getTime();
      since ??= now;
      if (now >= until) {
        throw new CutoverError(
          'E_JOURNAL_UNAVAILABLE',
          `could not record ${what}: ${err.message}, for ${seconds(now - since)} s`,
          {
            ...err.details,
            journal_error: err.message,
            since: new Date(since).toISOString(),
            waited_ms: now - since,
          },
          err,
        );
      }
      if (reported === undefined) {
        ctx.progress(`  ${err.message}; waiting up to ${seconds(until - now)} s for it to record ${what}`);
        reported = now;
      } else if (now - reported >= REPORT_EVERY_MS) {
        ctx.progress(`  still waiting for the journal (${seconds(now - since)} s)`);
        reported = now;
      }
      await ctx.sleep(Math.min(delay, until - now));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}
