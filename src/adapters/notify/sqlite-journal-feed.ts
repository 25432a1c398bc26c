import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { EventOf } from '../../core/events.js';
import type { JournalFeed } from '../../ports/notifications.js';
import type { JournalRow } from '../../ports/journal.js';
import { stateFileError } from '../state-dir/state-dir-error.js';

interface StoredRow {
  id: number;
  deploy_id: string;
  seq: number;
  at: string;
  data: string;
  prev_hash: string;
  hash: string;
}

const toRow = ({ data, ...r }: StoredRow): JournalRow => ({ ...r, event: JSON.parse(data) });

/**
 * The state dir's `journal.db`, read by position for a notifier. A reader in WAL mode never
 * blocks the deploy appending meanwhile. The file is opened once it exists (a notifier started
 * before the first deploy finds it later) and never created.
 */
export function openSqliteJournalFeed(path: string): JournalFeed {
  let db: Database.Database | undefined;
  const open = (): Database.Database | undefined => {
    if (db || !existsSync(path)) return db;
    try {
      db = new Database(path, { fileMustExist: true });
      db.pragma('busy_timeout = 1000');
    } catch (err) {
      throw stateFileError(path, 'read', err);
    }
    return db;
  };
  return {
    async head() {
      return open()?.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events').get()?.id ?? 0;
    },
    async after(after, limit) {
      const rows = open()
        ?.prepare<[number, number], StoredRow>(
          'SELECT id, deploy_id, seq, at, data, prev_hash, hash FROM events WHERE id > ? ORDER BY id LIMIT ?',
        )
        .all(after, limit);
      return (rows ?? []).map(toRow);
    },
    async request(deployId) {
      const row = open()
        ?.prepare<[string], { data: string }>('SELECT data FROM events WHERE deploy_id = ? AND seq = 1')
        .get(deployId);
      const event = row ? (JSON.parse(row.data) as { type: string }) : undefined;
      return event?.type === 'DEPLOY_REQUESTED' ? (event as EventOf<'DEPLOY_REQUESTED'>) : undefined;
    },
    async close() {
      db?.close();
      db = undefined;
    },
  };
}
