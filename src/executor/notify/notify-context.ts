import { createHash } from 'node:crypto';
import type { WebhookPolicy } from '../../core/notify/retry-policy.js';
import type { NotifySubscription } from '../../core/notify/notify-events.js';
import type { Clock } from '../../ports/clock.js';
import type { JournalFeed, NotificationStore } from '../../ports/notifications.js';
import type { WebhookSender } from '../../ports/webhook.js';

/** One webhook of cutover.yaml's `notify`, its key read from the variable `secret_env` names. */
export interface NotifyTarget extends NotifySubscription {
  url: string;
  secret: string;
}

/** What a notifier runs on: the same for a CLI's flush and a long-running server. */
export interface NotifyContext {
  store: NotificationStore;
  feed: JournalFeed;
  sender: WebhookSender;
  targets: readonly NotifyTarget[];
  clock: Clock;
  sleep(ms: number): Promise<void>;
  /** who holds the leases this notifier takes: host, pid and a random part */
  holder: string;
  policy?: WebhookPolicy;
  /** one line per delivery that failed for good (a server's log; the CLI's flush has none) */
  log?(line: string): void;
}

/**
 * A lease outlives the longest wait between two renewals (one attempt's timeout plus the
 * longest backoff) several times over; a notifier that dies loses it within this.
 */
export const LEASE_TTL_MS = 60_000;

/** Journal rows read per batch. */
export const FEED_BATCH = 200;

/**
 * The delivery id: a hash of the URL and the event's journal position, so every attempt of one
 * event to one URL, by any process, carries the same id for the receiver to deduplicate on.
 */
export function deliveryId(url: string, journalId: number): string {
  const hex = createHash('sha256').update(`${url}\n${journalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
