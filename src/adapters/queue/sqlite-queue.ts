import { CutoverError } from '../../core/errors.js';
import type { ChangesetQueue, QueuedChangeset } from '../../ports/queue.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';
import { assertNotQueued, toEntry, windowOf } from './queue-window.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queued_changesets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  environment TEXT NOT NULL,
  changeset_id TEXT NOT NULL,
  entry TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  window_ms INTEGER NOT NULL,
  deploy_id TEXT
);
CREATE INDEX IF NOT EXISTS queued_pending ON queued_changesets (environment, deploy_id, id);
`;

/**
 * The embedded changeset queue: one SQLite file in the state dir, written in `BEGIN IMMEDIATE`
 * transactions, so takers in several processes take turns.
 * `read` (cutover plan --queued) reads a snapshot and changes nothing; writing through it throws.
 */
export function openSqliteQueue(path: string, access: StateAccess = 'write'): ChangesetQueue {
  const db = openStateDatabase(path, SCHEMA, access);
  const assertWritable = (what: string): void => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${path} was opened for reading only: cannot ${what}`, { path });
  };
  const pendingRows = db.prepare<[string], { id: number; entry: string }>(
    'SELECT id, entry FROM queued_changesets WHERE environment = ? AND deploy_id IS NULL ORDER BY id',
  );
  const pending = (environment: string) => pendingRows.all(environment).map(toEntry);
  const setDeploy = db.prepare<[string, number]>('UPDATE queued_changesets SET deploy_id = ? WHERE id = ?');

  const submit = db.transaction((entry: Omit<QueuedChangeset, 'id'>) => {
    assertNotQueued(entry, pending(entry.environment));
    const { lastInsertRowid } = db
      .prepare(
        'INSERT INTO queued_changesets (environment, changeset_id, entry, submitted_at, window_ms) VALUES (?, ?, ?, ?, ?)',
      )
      .run(entry.environment, entry.changeset.id, JSON.stringify(entry), entry.submitted_at, entry.window_ms);
    return {
      entry: { ...entry, id: Number(lastInsertRowid) },
      window: windowOf(entry.environment, pending(entry.environment))!,
    };
  });

  const take = db.transaction((environment: string, deployId: string) => {
    const window = windowOf(environment, pending(environment));
    for (const e of window?.entries ?? []) setDeploy.run(deployId, e.id);
    return window;
  });

  return {
    async submit(entry) {
      assertWritable('submit');
      return submit.immediate(entry);
    },
    async window(environment) {
      return windowOf(environment, pending(environment));
    },
    async take(environment, deployId) {
      assertWritable('take');
      return take.immediate(environment, deployId);
    },
    async unclaim(deployId) {
      assertWritable('unclaim');
      db.prepare('UPDATE queued_changesets SET deploy_id = NULL WHERE deploy_id = ?').run(deployId);
    },
    async claimants(environment) {
      return db
        .prepare<[string], { deploy_id: string }>(
          'SELECT DISTINCT deploy_id FROM queued_changesets WHERE environment = ? AND deploy_id IS NOT NULL',
        )
        .all(environment)
        .map((r) => r.deploy_id);
    },
    async close() {
      db.close();
    },
  };
}
