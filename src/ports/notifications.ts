import type { EventOf } from '../core/events.js';
import type { JournalRow } from './journal.js';

/** How one attempt ended: `retry` another comes; `delivered` and `failed` are final. */
export type AttemptOutcome = 'retry' | 'delivered' | 'failed';

/** One POST of one event to one URL. */
export interface DeliveryAttempt {
  /** the same for every attempt of one event to one URL: the receiver's idempotency key */
  delivery_id: string;
  url: string;
  /** the event's global position in the journal (JournalRow.id) */
  journal_id: number;
  deploy_id: string;
  /** the name it was delivered under (an event type, or AWAITING_APPROVAL) */
  event: string;
  /** from 1 */
  attempt: number;
  /** ISO 8601, when the attempt ended */
  at: string;
  /** the receiver's HTTP status; null when none came (refused, timed out, reset) */
  status: number | null;
  /** why it did not succeed (`HTTP 500`, `timed out after 10000 ms`, `ECONNREFUSED`); null when it did */
  error: string | null;
  outcome: AttemptOutcome;
}

/** A delivery with its attempts, oldest first; `pending` until an attempt is final. */
export interface DeliveryRecord {
  delivery_id: string;
  url: string;
  journal_id: number;
  deploy_id: string;
  event: string;
  outcome: 'pending' | 'delivered' | 'failed';
  attempts: Omit<DeliveryAttempt, 'delivery_id' | 'url' | 'journal_id' | 'deploy_id' | 'event'>[];
}

/** A webhook's progress through the journal. */
export interface NotifyTargetState {
  url: string;
  /** the last journal position handled (delivered, failed for good, or not subscribed) */
  cursor: number;
  /** who holds its lease, until when (ISO 8601); null when nobody does */
  holder: string | null;
  lease_until: string | null;
}

/**
 * Where deliveries are recorded, beside the journal they read (the state dir's
 * `notifications.db`, or the PostgreSQL store). The journal is the outbox: each URL keeps a
 * cursor, the last journal position it handled, so nothing is written in a deploy's path and a
 * notifier that dies loses nothing.
 *
 * Contract:
 * - `register` adds a URL with its cursor at `cursor`; a URL already known keeps its own.
 * - `claim` takes the URL's lease for `ttlMs` milliseconds from `now` and returns its cursor,
 *   or undefined while another holder's lease runs: at most one notifier delivers to a URL at a
 *   time, across processes and machines sharing the store. Its holder may claim again (renew).
 * - `advance` moves the cursor forward, only for the lease's holder; it returns false (writing
 *   nothing) once the lease is someone else's, and never moves the cursor back.
 * - `release` gives the lease up (its holder only).
 * - `recordAttempt` is durable when it returns; attempts of one delivery are numbered from 1.
 * - Failures to reach the store are `E_STATE_UNAVAILABLE` (PostgreSQL) or `E_STATE_DIR` (SQLite).
 */
export interface NotificationStore {
  readonly name: string;
  register(url: string, cursor: number): Promise<void>;
  claim(url: string, holder: string, now: Date, ttlMs: number): Promise<number | undefined>;
  advance(url: string, holder: string, cursor: number): Promise<boolean>;
  release(url: string, holder: string): Promise<void>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  /**
   * How far a delivery got: attempts recorded, and whether the last was final (a notifier that
   * died after the final attempt but before moving the cursor must not send it again).
   */
  progress(deliveryId: string): Promise<{ attempts: number; final: boolean }>;
  /** deliveries, oldest event first; with `deployId`, of that deploy only */
  deliveries(filter?: { deployId?: string }): Promise<DeliveryRecord[]>;
  targets(): Promise<NotifyTargetState[]>;
  close(): Promise<void>;
}

/**
 * The journal as a notifier reads it: by global position. Reads only; a journal that does not
 * exist yet has no rows (head 0).
 */
export interface JournalFeed {
  /** the last row's position; 0 when there is none */
  head(): Promise<number>;
  /** rows with `id > after`, in order, at most `limit` */
  after(after: number, limit: number): Promise<JournalRow[]>;
  /** the deploy's DEPLOY_REQUESTED (its environment, service, tag, mode) */
  request(deployId: string): Promise<EventOf<'DEPLOY_REQUESTED'> | undefined>;
  close(): Promise<void>;
}
