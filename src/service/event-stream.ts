import type { Journal, JournalRow } from '../ports/journal.js';
import type { JournalTail } from './journal-tail.js';

export interface EventFilter {
  /** a deploy's full id */
  deploy?: string;
  /** deploys to this environment, or applied to it (a manual deploy waiting in staging) */
  environment?: string;
}

export type StreamItem = { kind: 'row'; row: JournalRow } | { kind: 'idle' };

/**
 * The journal's rows after `from`, then each row as it is appended, that `filter` lets through;
 * an `idle` item after `idleMs` without one (for a stream's keep-alive). Ends when `signal` does.
 * What `GET /api/events` sends and `cutover status --watch` prints.
 */
export async function* followJournal(
  tail: JournalTail,
  journal: Journal,
  from: number,
  filter: EventFilter,
  signal: AbortSignal,
  idleMs = 15_000,
): AsyncGenerator<StreamItem> {
  const matches = environmentMatcher(journal, filter);
  let cursor = from;
  while (!signal.aborted && !tail.isStopped) {
    const rows = await tail.read(cursor);
    if (rows.length === 0) {
      if (!(await tail.wait(cursor, idleMs, signal)) && !signal.aborted && !tail.isStopped)
        yield { kind: 'idle' };
      continue;
    }
    for (const row of rows) {
      cursor = row.id;
      if (filter.deploy !== undefined && row.deploy_id !== filter.deploy) continue;
      if (await matches(row)) yield { kind: 'row', row };
    }
  }
}

/** Whether a row's deploy is in the filter's environment: learned from its request, then kept. */
function environmentMatcher(journal: Journal, filter: EventFilter): (row: JournalRow) => Promise<boolean> {
  const wanted = filter.environment;
  if (wanted === undefined) return async () => true;
  const known = new Map<string, boolean>();
  return async (row) => {
    const e = row.event;
    if (e.type === 'DEPLOY_REQUESTED')
      known.set(row.deploy_id, [e.environment, e.apply_environment].includes(wanted));
    let inside = known.get(row.deploy_id);
    if (inside === undefined) {
      const first = (await journal.rows(row.deploy_id))[0]?.event;
      inside =
        first?.type === 'DEPLOY_REQUESTED' && [first.environment, first.apply_environment].includes(wanted);
      known.set(row.deploy_id, inside);
    }
    return inside;
  };
}
