import type { JournalHead, VerifyReport } from '../../ports/journal.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { GENESIS_HASH, hashRow } from './hash-chain.js';

export interface StoredRow {
  id: number;
  deploy_id: string;
  seq: number;
  at: string;
  type: string;
  data: string;
  prev_hash: string;
  hash: string;
}

function bad(rows: number, row: StoredRow | { id: number; deploy_id: null }, reason: string): VerifyReport {
  return { ok: false, rows, bad_row: row.id, deploy_id: row.deploy_id, reason };
}

/**
 * The report when row `after.rows`, a head verified before, no longer has `after.hash` (its hash
 * is `stored`); undefined while it does, so the rows after it are all that is left to check.
 */
export function markMoved(after: JournalHead, stored: string | undefined): VerifyReport | undefined {
  if (after.rows === 0 || stored === after.hash) return undefined;
  const reason = `row ${after.rows} is not the row ${after.rows}:${after.hash} verified before`;
  return { ok: false, rows: after.rows, bad_row: after.rows, deploy_id: null, reason };
}

/**
 * Recomputes the chain from the first row, or from the row after `after` (a head already
 * verified). Any edit (data, type, time, order) changes a hash; a removed row breaks the id
 * sequence or the next row's prev_hash; removing rows from the end disagrees with the recorded
 * chain head.
 */
export function verifyRows(
  rows: StoredRow[],
  head: { id: number; hash: string } | undefined,
  after: JournalHead = { rows: 0, hash: GENESIS_HASH },
): VerifyReport {
  const total = after.rows + rows.length;
  let prevHash = after.hash;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const id = after.rows + i + 1;
    if (row.id !== id) return bad(total, { id, deploy_id: null }, `row ${id} is missing`);
    if (row.prev_hash !== prevHash) return bad(total, row, 'prev_hash does not match the previous row');
    let event: { type?: unknown };
    try {
      event = JSON.parse(row.data);
    } catch {
      return bad(total, row, 'data is not valid JSON');
    }
    if (event.type !== row.type) return bad(total, row, `type column "${row.type}" differs from the event`);
    if (canonicalJson(event) !== row.data) return bad(total, row, 'data is not in canonical form (edited)');
    const expected = hashRow(prevHash, {
      deploy_id: row.deploy_id,
      seq: row.seq,
      at: row.at,
      event: event as never,
    });
    if (expected !== row.hash) return bad(total, row, 'hash does not match the row contents (edited)');
    prevHash = row.hash;
  }
  const lastId = total;
  if (!head && lastId > 0)
    return bad(total, { id: lastId, deploy_id: null }, 'the chain_head row is missing (deleted)');
  if ((head?.id ?? 0) !== lastId || (head && head.hash !== prevHash)) {
    const missing = lastId + 1;
    return bad(
      total,
      { id: missing, deploy_id: null },
      `rows from ${missing} to ${head?.id ?? 0} were removed (chain head says ${head?.id ?? 0} rows)`,
    );
  }
  return { ok: true, rows: total };
}
