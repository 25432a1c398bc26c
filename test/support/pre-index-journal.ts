import Database from 'better-sqlite3';
import { canonicalJson } from '../../src/core/canonical-json.js';
import type { DeployEvent } from '../../src/core/events.js';
import { GENESIS_HASH, hashRow } from '../../src/adapters/journal/hash-chain.js';
import { JOURNAL_SCHEMA } from '../../src/adapters/journal/journal-schema.js';

/**
 * Writes a journal as a cutover from before the deploy index did: WAL, the chain's two tables
 * (JOURNAL_SCHEMA, all a journal had then), user_version 0, no `deploys` table or trigger. Each
 * deploy's events in turn, the nth row `n` seconds after `start`.
 */
export function writePreIndexJournal(
  path: string,
  deploys: Array<[deployId: string, events: DeployEvent[]]>,
  start = Date.UTC(2026, 1, 24, 10, 0, 0),
): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(JOURNAL_SCHEMA);
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
