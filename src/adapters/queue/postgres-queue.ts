import { CutoverError } from '../../core/errors.js';
import type { ChangesetQueue } from '../../ports/queue.js';
import { ADVISORY_QUEUE_CLASS } from '../postgres/migrate.js';
import { openStore } from '../postgres/open-store.js';
import type { PostgresConnection } from '../postgres/postgres-pool.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import { assertNotQueued, toEntry, windowOf } from './queue-window.js';

const PENDING = `SELECT id, entry FROM cutover.queued_changesets
  WHERE environment = $1 AND deploy_id IS NULL ORDER BY id`;

type Row = { id: string; entry: string };

/**
 * The changeset queue in PostgreSQL, fed and taken by every executor on the database.
 * Submissions to one environment take turns under an advisory lock, so the one-pending-per-
 * changeset check and the id order hold across executors; a take locks the window's rows
 * `FOR UPDATE SKIP LOCKED`, so racing takers never wait for each other nor get the same entry.
 * See docs/architecture.md#the-postgresql-store.
 */
export function openPostgresQueue(
  connection: PostgresConnection,
  options: { access?: StateAccess } = {},
): ChangesetQueue {
  const access = options.access ?? 'write';
  const { query, transaction, close } = openStore(connection, { access, unavailable: 'E_STATE_UNAVAILABLE' });
  const assertWritable = (what: string): void => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${connection.label} was opened for reading only: cannot ${what}`);
  };

  return {
    async submit(entry) {
      assertWritable('submit');
      return transaction(async (db) => {
        const { environment } = entry;
        await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_QUEUE_CLASS, environment]);
        const pending = (await db.query<Row>(PENDING, [environment])).rows.map(toEntry);
        assertNotQueued(entry, pending);
        const inserted = await db.query<{ id: string }>(
          `INSERT INTO cutover.queued_changesets (environment, changeset_id, entry, submitted_at, window_ms)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [environment, entry.changeset.id, JSON.stringify(entry), entry.submitted_at, entry.window_ms],
        );
        const stored = { ...entry, id: Number(inserted.rows[0]!.id) };
        return { entry: stored, window: windowOf(environment, [...pending, stored])! };
      });
    },
    async window(environment) {
      return windowOf(
        environment,
        (await query<Row>('cutover.queue-pending', PENDING, [environment])).map(toEntry),
      );
    },
    async take(environment, deployId) {
      assertWritable('take');
      return transaction(async (db) => {
        // The oldest free entry opens the window; only what will be taken is locked, so another
        // taker skips nothing it could have had, and each taker's takes follow submission order.
        const [opener] = (
          await db.query<Row>(`${PENDING} LIMIT 1 FOR UPDATE SKIP LOCKED`, [environment])
        ).rows.map(toEntry);
        if (!opener) return undefined;
        const closes = new Date(Date.parse(opener.submitted_at) + opener.window_ms).toISOString();
        const members = await db.query<Row>(
          `SELECT id, entry FROM cutover.queued_changesets WHERE environment = $1 AND deploy_id IS NULL
             AND id > $2 AND submitted_at COLLATE "C" < $3 ORDER BY id FOR UPDATE SKIP LOCKED`,
          [environment, opener.id, closes],
        );
        const window = windowOf(environment, [opener, ...members.rows.map(toEntry)]);
        if (window)
          await db.query('UPDATE cutover.queued_changesets SET deploy_id = $2 WHERE id = ANY($1::bigint[])', [
            window.entries.map((e) => e.id),
            deployId,
          ]);
        return window;
      });
    },
    async unclaim(deployId) {
      assertWritable('unclaim');
      await query(
        'cutover.queue-unclaim',
        'UPDATE cutover.queued_changesets SET deploy_id = NULL WHERE deploy_id = $1',
        [deployId],
      );
    },
    async claimants(environment) {
      const rows = await query<{ deploy_id: string }>(
        'cutover.queue-claimants',
        `SELECT deploy_id FROM cutover.queued_changesets WHERE environment = $1 AND deploy_id IS NOT NULL
          GROUP BY deploy_id ORDER BY min(id)`,
        [environment],
      );
      return rows.map((r) => r.deploy_id);
    },
    close,
  };
}
