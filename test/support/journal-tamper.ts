import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashRow, GENESIS_HASH } from '../../src/adapters/journal/hash-chain.js';
import { canonicalJson } from '../../src/core/canonical-json.js';

/*
 * What someone with write access to a state dir can do to its journal: the audit tests attack a
 * copy of a real state dir with these, and `audit verify` must tell.
 */

let copies = 0;
/** A copy of `stateDir` in `parent` for one attack, so the attacks do not add up. */
export function copyStateDir(stateDir: string, parent: string): string {
  const dir = join(parent, `attacked-${copies++}`);
  cpSync(stateDir, dir, { recursive: true, filter: (src) => !src.endsWith('.sock') });
  return dir;
}

/** Runs SQL statements on a SQLite file, in order. */
export function runSql(file: string, ...statements: string[]): void {
  const db = new Database(file);
  for (const s of statements) db.exec(s);
  db.close();
}

/** Cuts the journal's rows after `keep`, then makes chain_head agree. */
export function truncateJournal(stateDir: string, keep: number): void {
  const db = new Database(join(stateDir, 'journal.db'));
  db.prepare('DELETE FROM events WHERE id > ?').run(keep);
  db.prepare('UPDATE chain_head SET id = ?, hash = (SELECT hash FROM events WHERE id = ?)').run(keep, keep);
  db.close();
}

/**
 * Lets `edit` change the events (in place), then rehashes the whole chain with the project's
 * own hashRow and makes chain_head agree. Returns the new head and every row's new hash by id.
 */
export function rehashJournal(
  stateDir: string,
  edit: (event: any, rowId: number) => void,
): { head: string; hashes: Map<number, string> } {
  const db = new Database(join(stateDir, 'journal.db'));
  const hashes = new Map<number, string>();
  let prev = GENESIS_HASH;
  for (const row of db.prepare('SELECT * FROM events ORDER BY id').all() as any[]) {
    const event = JSON.parse(row.data);
    edit(event, row.id);
    const hash = hashRow(prev, { deploy_id: row.deploy_id, seq: row.seq, at: row.at, event });
    db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE id = ?').run(
      canonicalJson(event),
      prev,
      hash,
      row.id,
    );
    hashes.set(row.id, hash);
    prev = hash;
  }
  db.prepare('UPDATE chain_head SET hash = ?').run(prev);
  db.close();
  return { head: prev, hashes };
}
