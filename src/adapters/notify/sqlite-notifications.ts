import { CutoverError } from '../../core/errors.js';
import type { NotificationStore, NotifyTargetState } from '../../ports/notifications.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';
import { stateFileError } from '../state-dir/state-dir-error.js';
import { attemptValues, groupAttempts, type AttemptRow } from './delivery-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS notify_targets (
  url TEXT PRIMARY KEY,
  cursor INTEGER NOT NULL,
  holder TEXT,
  lease_until TEXT
);
CREATE TABLE IF NOT EXISTS notify_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  url TEXT NOT NULL,
  journal_id INTEGER NOT NULL,
  deploy_id TEXT NOT NULL,
  event TEXT NOT NULL,
  at TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  outcome TEXT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX IF NOT EXISTS notify_attempts_by_deploy ON notify_attempts (deploy_id);
`;

const ORDER = 'ORDER BY journal_id, url, attempt';

/**
 * Deliveries in the state dir's `notifications.db`, a file apart from `journal.db`: a notifier
 * never takes the journal's write lock, so it cannot delay a deploy's append. Leases and cursor
 * moves run in `BEGIN IMMEDIATE` transactions, so notifiers in several processes take turns.
 * `read` (`cutover notifications`) reads a snapshot and changes nothing.
 */
export function openSqliteNotifications(path: string, access: StateAccess = 'write'): NotificationStore {
  const db = openStateDatabase(path, SCHEMA, access);
  const writing = <T>(write: () => T): T => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${path} was opened for reading only`, { path });
    try {
      return write();
    } catch (err) {
      throw stateFileError(path, 'write', err);
    }
  };
  const claim = db.prepare<[string, string, string, string, string], { cursor: number }>(
    `UPDATE notify_targets SET holder = ?, lease_until = ?
     WHERE url = ? AND (holder IS NULL OR holder = ? OR lease_until < ?) RETURNING cursor`,
  );
  const advance = db.prepare<[number, string, string]>(
    'UPDATE notify_targets SET cursor = max(cursor, ?) WHERE url = ? AND holder = ?',
  );
  const insertAttempt = db.prepare(
    `INSERT INTO notify_attempts (delivery_id, attempt, url, journal_id, deploy_id, event, at, status, error, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  return {
    name: 'sqlite',
    async register(url, cursor) {
      writing(() =>
        db
          .prepare('INSERT INTO notify_targets (url, cursor) VALUES (?, ?) ON CONFLICT DO NOTHING')
          .run(url, cursor),
      );
    },
    async claim(url, holder, now, ttlMs) {
      const until = new Date(now.getTime() + ttlMs).toISOString();
      return writing(() => claim.get(holder, until, url, holder, now.toISOString())?.cursor);
    },
    async advance(url, holder, cursor) {
      return writing(() => advance.run(cursor, url, holder).changes === 1);
    },
    async release(url, holder) {
      writing(() =>
        db
          .prepare('UPDATE notify_targets SET holder = NULL, lease_until = NULL WHERE url = ? AND holder = ?')
          .run(url, holder),
      );
    },
    async recordAttempt(attempt) {
      writing(() => insertAttempt.run(...attemptValues(attempt)));
    },
    async progress(deliveryId) {
      const last = db
        .prepare<[string], { attempt: number; outcome: string }>(
          'SELECT attempt, outcome FROM notify_attempts WHERE delivery_id = ? ORDER BY attempt DESC LIMIT 1',
        )
        .get(deliveryId);
      return { attempts: last?.attempt ?? 0, final: last !== undefined && last.outcome !== 'retry' };
    },
    async deliveries(filter = {}) {
      const rows = filter.deployId
        ? db
            .prepare<[string], AttemptRow>(`SELECT * FROM notify_attempts WHERE deploy_id = ? ${ORDER}`)
            .all(filter.deployId)
        : db.prepare<[], AttemptRow>(`SELECT * FROM notify_attempts ${ORDER}`).all();
      return groupAttempts(rows);
    },
    async targets() {
      return db.prepare<[], NotifyTargetState>('SELECT * FROM notify_targets ORDER BY url').all();
    },
    async close() {
      db.close();
    },
  };
}
