import type { DeployEvent } from '../core/events.js';
import type { JournalHead } from '../core/journal-head.js';
import type { Fence } from './lock.js';

/** One stored journal row. `hash = sha256(prev_hash ‖ canonical JSON of the rest)`. */
export interface JournalRow {
  /** global position in the chain, from 1 */
  id: number;
  deploy_id: string;
  /** position within the deploy, from 1 */
  seq: number;
  /** ISO 8601 */
  at: string;
  event: DeployEvent;
  prev_hash: string;
  hash: string;
}

export interface DeploySummary {
  deploy_id: string;
  environment: string;
  first_at: string;
  last_at: string;
  last_type: DeployEvent['type'];
  events: number;
}

export interface DeployPageQuery {
  environment?: string;
  limit: number;
  offset: number;
}

export type { JournalHead } from '../core/journal-head.js';

/** A deploy found settled at `seq`, its last: see `Journal.settle`. */
export interface SettledDeploy {
  deployId: string;
  seq: number;
}

export type VerifyReport =
  | { ok: true; rows: number }
  | { ok: false; rows: number; bad_row: number; deploy_id: string | null; reason: string };

/**
 * Append-only, hash-chained event log; the only source of truth for status, audit and rollback.
 *
 * Contract:
 * - `append` is durable when it returns (written ahead of the side effect it announces).
 * - Optimistic concurrency: `expectedSeq` must be the deploy's current last seq (0 for a new
 *   deploy); otherwise `E_JOURNAL_CONFLICT` and nothing is written.
 * - A journal that cannot be written now (another process holds its write lock past a short busy
 *   wait, an I/O error, a full disk, a read-only file) fails `append` with
 *   `E_JOURNAL_UNAVAILABLE`, naming the store. Callers may retry the same append (seq makes it
 *   land at most once); `E_JOURNAL_CONFLICT` on a retry may mean an earlier attempt committed
 *   after all, which `rows` tells.
 * - A journal opened for reading fails `append` with `E_JOURNAL_READ_ONLY` (not to be retried).
 * - Fencing: `append` given the `fence` of the lease its caller holds is refused with
 *   `E_STALE_FENCING_TOKEN`, writing nothing, once a later lease of that environment exists — by
 *   a journal that shares its store with the locks (postgres), which checks it in the append's
 *   own transaction. The SQLite journal, a file apart from locks.db, cannot see the leases and
 *   ignores it; there the executor's `assertHeld` before each command is the guard.
 * - Rows are never updated or deleted; `verify` recomputes the chain and names the first bad row.
 * - `head` and `hashAt` only read: they say nothing of the chain's integrity (`verify` does).
 */
export interface Journal {
  readonly name: string;
  append(
    deployId: string,
    expectedSeq: number,
    at: Date,
    event: DeployEvent,
    fence?: Fence,
  ): Promise<JournalRow>;
  rows(deployId: string): Promise<JournalRow[]>;
  /**
   * Up to `limit` rows of every deploy with a global position above `afterId`, in chain order:
   * how `cutover serve` streams the journal as it grows (and resumes a stream from `Last-Event-ID`).
   */
  rowsAfter(afterId: number, limit: number): Promise<JournalRow[]>;
  deploys(environment?: string): Promise<DeploySummary[]>;
  /**
   * One page of `deploys`, newest first, and how many there are in all: a page costs what it
   * holds, not the history's length (the deploy index is read by `first_id` from the end).
   */
  deployPage(page: DeployPageQuery): Promise<{ deploys: DeploySummary[]; total: number }>;
  /**
   * The deploys that may still have work, a deadline or a paused canary: every deploy not
   * settled at its last seq (see `settle`), in first-append order. Costs O(open deploys), not
   * O(history): recovery reads this on every command that changes an environment.
   */
  openDeploys(): Promise<DeploySummary[]>;
  /**
   * Takes each deploy out of `openDeploys` as of `seq`: the caller folded it and found that
   * nothing happens to it without a new row (see docs/architecture.md#journal). A row appended
   * later opens it again; a deploy already past `seq` stays open. Written in one transaction,
   * outside the hash chain; unavailable as `append` is (`E_JOURNAL_UNAVAILABLE`). A journal
   * opened for reading ignores it.
   */
  settle(deploys: readonly SettledDeploy[]): Promise<void>;
  /** Resolves a unique prefix of a deploy id (as `git` does for commits). */
  findDeploy(idOrPrefix: string): Promise<string | undefined>;
  /**
   * Recomputes the chain from the first row. With `after` (a head recorded earlier and trusted),
   * checks that row `after.rows` still has `after.hash` and recomputes only the rows after it.
   */
  verify(after?: JournalHead): Promise<VerifyReport>;
  head(): Promise<JournalHead>;
  /** The hash of row `id` (from 1), or undefined when the chain has no such row. */
  hashAt(id: number): Promise<string | undefined>;
  close(): Promise<void>;
}
