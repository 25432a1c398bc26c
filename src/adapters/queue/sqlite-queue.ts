import { CutoverError } from '../../core/errors.js';
import type { ChangesetQueue, QueuedChangeset, QueueWindow } from '../../ports/queue.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

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

interface Row {
  id: number;
  entry: string;
}

/**
 * The embedded changeset queue: one SQLite file in the state dir, written in transactions.
 * `read` (cutover plan --queued) reads a snapshot and changes nothing; writing through it throws.
 */
export function openSqliteQueue(path: string, access: StateAccess = 'write'): ChangesetQueue {
  const db = openStateDatabase(path, SCHEMA, access);
  const assertWritable = (what: string): void => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${path} was opened for reading only: cannot ${what}`, { path });
  };
  const pending = db.prepare<[string], Row>(
    'SELECT id, entry FROM queued_changesets WHERE environment = ? AND deploy_id IS NULL ORDER BY id',
  );
  const toEntry = (r: Row): QueuedChangeset => ({ ...(JSON.parse(r.entry) as QueuedChangeset), id: r.id });

  const windowOf = (environment: string): QueueWindow | undefined => {
    const entries = pending.all(environment).map(toEntry);
    const first = entries[0];
    if (!first) return undefined;
    const closes = Date.parse(first.submitted_at) + first.window_ms;
    return {
      environment,
      opened_at: first.submitted_at,
      closes_at: new Date(closes).toISOString(),
      entries: entries.filter((e) => Date.parse(e.submitted_at) < closes),
    };
  };

  const submit = db.transaction((entry: Omit<QueuedChangeset, 'id'>) => {
    const twice = pending
      .all(entry.environment)
      .map(toEntry)
      .find((e) => e.changeset.id === entry.changeset.id);
    if (twice)
      throw new CutoverError(
        'E_WRONG_STATE',
        `changeset ${entry.changeset.id} is already queued for ${entry.environment} (#${twice.id}, submitted ${twice.submitted_at} by ${twice.submitted_by})`,
      );
    const { lastInsertRowid } = db
      .prepare(
        'INSERT INTO queued_changesets (environment, changeset_id, entry, submitted_at, window_ms) VALUES (?, ?, ?, ?, ?)',
      )
      .run(entry.environment, entry.changeset.id, JSON.stringify(entry), entry.submitted_at, entry.window_ms);
    return { entry: { ...entry, id: Number(lastInsertRowid) }, window: windowOf(entry.environment)! };
  });

  const claim = db.transaction((ids: number[], deployId: string) => {
    const update = db.prepare(
      'UPDATE queued_changesets SET deploy_id = ? WHERE id = ? AND deploy_id IS NULL',
    );
    for (const id of ids) {
      if (update.run(deployId, id).changes !== 1)
        throw new CutoverError('E_WRONG_STATE', `queued changeset #${id} was taken by another deploy`);
    }
  });

  return {
    async submit(entry) {
      assertWritable('submit');
      return submit.immediate(entry);
    },
    async window(environment) {
      return windowOf(environment);
    },
    async claim(ids, deployId) {
      assertWritable('claim');
      claim.immediate(ids, deployId);
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
