import type { EventOf } from '../../core/events.js';
import type { JournalFeed, NotificationStore, NotifyTargetState } from '../../ports/notifications.js';
import { openStore } from '../postgres/open-store.js';
import type { PostgresConnection } from '../postgres/postgres-pool.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { attemptValues, groupAttempts, type AttemptRow } from './delivery-rows.js';

const ORDER = 'ORDER BY journal_id, url, attempt';

type EventRow = {
  id: string;
  deploy_id: string;
  seq: number;
  at: string;
  data: string;
  prev_hash: string;
  hash: string;
};

/**
 * Deliveries in the PostgreSQL store (migration 4), shared by every executor and server on it;
 * the journal is read from `cutover.events` by position. A lease is one conditional UPDATE of the
 * URL's row, so two notifiers on two machines never deliver to one URL at once.
 * See docs/architecture.md#webhooks.
 */
export function openPostgresNotifications(
  connection: PostgresConnection,
  options: { access?: StateAccess } = {},
): NotificationStore & JournalFeed {
  const { query, close } = openStore(connection, {
    access: options.access ?? 'write',
    unavailable: 'E_STATE_UNAVAILABLE',
  });
  return {
    name: 'postgres',
    async register(url, cursor) {
      await query(
        'notify-register',
        'INSERT INTO cutover.notify_targets (url, cursor) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [url, cursor],
      );
    },
    async claim(url, holder, now, ttlMs) {
      const until = new Date(now.getTime() + ttlMs).toISOString();
      const rows = await query<{ cursor: string }>(
        'notify-claim',
        `UPDATE cutover.notify_targets SET holder = $1, lease_until = $2
         WHERE url = $3 AND (holder IS NULL OR holder = $1 OR lease_until < $4) RETURNING cursor`,
        [holder, until, url, now.toISOString()],
      );
      return rows[0] ? Number(rows[0].cursor) : undefined;
    },
    async advance(url, holder, cursor) {
      const rows = await query(
        'notify-advance',
        `UPDATE cutover.notify_targets SET cursor = GREATEST(cursor, $1)
         WHERE url = $2 AND holder = $3 RETURNING url`,
        [cursor, url, holder],
      );
      return rows.length === 1;
    },
    async release(url, holder) {
      await query(
        'notify-release',
        'UPDATE cutover.notify_targets SET holder = NULL, lease_until = NULL WHERE url = $1 AND holder = $2',
        [url, holder],
      );
    },
    async recordAttempt(attempt) {
      await query(
        'notify-attempt',
        `INSERT INTO cutover.notify_attempts
           (delivery_id, attempt, url, journal_id, deploy_id, event, at, status, error, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        attemptValues(attempt),
      );
    },
    async progress(deliveryId) {
      const [last] = await query<{ attempt: number; outcome: string }>(
        'notify-progress',
        `SELECT attempt, outcome FROM cutover.notify_attempts WHERE delivery_id = $1
         ORDER BY attempt DESC LIMIT 1`,
        [deliveryId],
      );
      return { attempts: last?.attempt ?? 0, final: last !== undefined && last.outcome !== 'retry' };
    },
    async deliveries(filter = {}) {
      const rows = filter.deployId
        ? await query<AttemptRow>(
            'notify-of-deploy',
            `SELECT * FROM cutover.notify_attempts WHERE deploy_id = $1 ${ORDER}`,
            [filter.deployId],
          )
        : await query<AttemptRow>('notify-all', `SELECT * FROM cutover.notify_attempts ${ORDER}`);
      return groupAttempts(rows);
    },
    async targets() {
      const rows = await query<NotifyTargetState & { cursor: string }>(
        'notify-targets',
        'SELECT * FROM cutover.notify_targets ORDER BY url',
      );
      return rows.map((r) => ({ ...r, cursor: Number(r.cursor) }));
    },
    async head() {
      const rows = await query<{ id: string | null }>(
        'feed-head',
        'SELECT max(id) AS id FROM cutover.events',
      );
      return Number(rows[0]?.id ?? 0);
    },
    async after(after, limit) {
      const rows = await query<EventRow>(
        'feed-after',
        'SELECT id, deploy_id, seq, at, data, prev_hash, hash FROM cutover.events WHERE id > $1 ORDER BY id LIMIT $2',
        [after, limit],
      );
      return rows.map(({ data, ...r }) => ({ ...r, id: Number(r.id), event: JSON.parse(data) }));
    },
    async request(deployId) {
      const rows = await query<{ data: string }>(
        'feed-request',
        "SELECT data FROM cutover.events WHERE deploy_id = $1 AND seq = 1 AND type = 'DEPLOY_REQUESTED'",
        [deployId],
      );
      return rows[0] ? (JSON.parse(rows[0].data) as EventOf<'DEPLOY_REQUESTED'>) : undefined;
    },
    close,
  };
}
