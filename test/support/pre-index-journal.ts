import Database from 'better-sqlite3';
import { canonicalJson } from '../../src/core/canonical-json.js';
import type { DeployEvent } from '../../src/core/events.js';
import { GENESIS_HASH, hashRow } from '../../src/adapters/journal/hash-chain.js';

/** journal.db as cutover wrote it before the deploy index: these two tables, user_version 0. */
const PRE_INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  deploy_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (deploy_id, seq)
);
CREATE TABLE IF NOT EXISTS chain_head (one INTEGER PRIMARY KEY CHECK (one = 1), id INTEGER NOT NULL, hash TEXT NOT NULL);
`;

/**
 * Writes a journal as a cutover from before the deploy index did (WAL, the same rows and chain),
 * each deploy's events in turn, the nth row `n` seconds after `start`.
 */
export function writePreIndexJournal(
  path: string,
  deploys: Array<[deployId: string, events: DeployEvent[]]>,
  start = Date.UTC(2026, 1, 24, 10, 0, 0),
): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(PRE_INDEX_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO events (id, deploy_id, seq, at, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let id = 0;
  let prev = GENESIS_HASH;
  db.transaction(() => {
    for (const [deployId, events] of deploys)
      for (const [i, event] of events.entries()) {
        const row = {
          deploy_id: deployId,
          seq: i + 1,
          at: new Date(start + ++id * 1000).toISOString(),
          event,
        };
        const hash = hashRow(prev, row);
        insert.run(id, deployId, row.seq, row.at, event.type, canonicalJson(event), prev, hash);
        prev = hash;
      }
    db.prepare('INSERT INTO chain_head (one, id, hash) VALUES (1, ?, ?)').run(id, prev);
  })();
  db.close();
}
