import type { Changeset } from '../core/schema/changeset.js';
import type { Strategy } from '../core/schema/strategy.js';

export interface QueuedChangeset {
  /** submission order */
  id: number;
  environment: string;
  changeset: Changeset;
  /** the changeset file and its directory (sources are relative to it) */
  path: string;
  base_dir: string;
  /** the strategy given at submit time; null: decided when the train deploys */
  strategy: Strategy | null;
  submitted_by: string;
  submitted_at: string;
  /** how long the window this submission would open stays open */
  window_ms: number;
}

/** The changesets that deploy together: those submitted before the oldest pending one's window closed. */
export interface QueueWindow {
  environment: string;
  opened_at: string;
  closes_at: string;
  entries: QueuedChangeset[];
}

/**
 * Durable queue of submitted changesets, per environment (docs/architecture.md#seed-terms, step 6:
 * changesets in one window are grouped). The oldest pending submission opens a window of
 * `batching.window`; everything submitted before it closes is one train. Later submissions start
 * the next window.
 *
 * Contract:
 * - `submit` refuses a changeset id already pending for that environment (`E_WRONG_STATE`).
 * - `take` takes the current window's entries out of the queue for a deploy, atomically: under
 *   takers racing on one store, each entry goes to exactly one of them, and a taker never waits
 *   for another (it skips the entries another is taking). `unclaim` puts a deploy's entries back
 *   if it never started. Entries are kept (with their deploy id) for the record.
 */
export interface ChangesetQueue {
  submit(entry: Omit<QueuedChangeset, 'id'>): Promise<{ entry: QueuedChangeset; window: QueueWindow }>;
  /** the window `take` would take now, without taking it (cutover plan --queued) */
  window(environment: string): Promise<QueueWindow | undefined>;
  /** the current window, taken for `deployId`; undefined when nothing is pending (or free) */
  take(environment: string, deployId: string): Promise<QueueWindow | undefined>;
  unclaim(deployId: string): Promise<void>;
  /** deploy ids that claimed entries for this environment (to find claims whose deploy never started) */
  claimants(environment: string): Promise<string[]>;
  close(): Promise<void>;
}
