import { CutoverError } from '../../core/errors.js';
import type { QueuedChangeset, QueueWindow } from '../../ports/queue.js';

/**
 * The window the oldest of `pending` (in submission order) opens: it and every entry submitted
 * before the window closes. Undefined when nothing is pending.
 */
export function windowOf(environment: string, pending: QueuedChangeset[]): QueueWindow | undefined {
  const first = pending[0];
  if (!first) return undefined;
  const closes = Date.parse(first.submitted_at) + first.window_ms;
  return {
    environment,
    opened_at: first.submitted_at,
    closes_at: new Date(closes).toISOString(),
    entries: pending.filter((e) => Date.parse(e.submitted_at) < closes),
  };
}

/** `E_WRONG_STATE` when `entry`'s changeset is already pending for its environment, as `twice`. */
export function assertNotQueued(entry: Omit<QueuedChangeset, 'id'>, pending: QueuedChangeset[]): void {
  const twice = pending.find((e) => e.changeset.id === entry.changeset.id);
  if (twice)
    throw new CutoverError(
      'E_WRONG_STATE',
      `changeset ${entry.changeset.id} is already queued for ${entry.environment} (#${twice.id}, submitted ${twice.submitted_at} by ${twice.submitted_by})`,
    );
}

/** A stored row back as the entry it holds, with its id. */
export function toEntry(row: { id: number | string; entry: string }): QueuedChangeset {
  return { ...(JSON.parse(row.entry) as QueuedChangeset), id: Number(row.id) };
}
