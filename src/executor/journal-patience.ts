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

/** The store is away (`E_JOURNAL_UNAVAILABLE`, or PostgreSQL's `E_STATE_UNAVAILABLE`): worth waiting for. */
function isUnavailable(err: unknown): err is CutoverError {
  return isCode(err, 'E_JOURNAL_UNAVAILABLE') || isCode(err, 'E_STATE_UNAVAILABLE');
}

/**
 * Runs `attempt` (one append, or one check of the lease) until it succeeds, retrying with backoff
 * while the store is unavailable and `until` has not passed; then throws the same code saying
 * what could not be done and for how long. A conflict after an unavailable attempt may be that
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
      if (!isUnavailable(err)) throw err;
      const now = ctx.clock.now().getTime();
      since ??= now;
      if (now >= until) {
        throw new CutoverError(
          err.code,
          `could not ${what}: ${err.message}, for ${seconds(now - since)} s`,
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
        ctx.progress(`  ${err.message}; waiting up to ${seconds(until - now)} s for it to ${what}`);
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
