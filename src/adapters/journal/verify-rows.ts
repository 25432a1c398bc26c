import type { VerifyReport } from '../../ports/journal.js';
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
 * Recomputes the chain from the first row. Any edit (data, type, time, order) changes a hash;
 * a removed row breaks the id sequence or the next row's prev_hash; removing rows from the end
 * disagrees with the recorded chain head.
 */
export function verifyRows(rows: StoredRow[], head: { id: number; hash: string } | undefined): VerifyReport {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.id !== i + 1) return bad(rows.length, { id: i + 1, deploy_id: null }, `row ${i + 1} is missing`);
    if (row.prev_hash !== prevHash) return bad(rows.length, row, 'prev_hash does not match the previous row');
    let event: { type?: unknown };
    try {
      event = JSON.parse(row.data);
    } catch {
      return bad(rows.length, row, 'data is not valid JSON');
    }
    if (event.type !== row.type)
      return bad(rows.length, row, `type column "${row.type}" differs from the event`);
    if (canonicalJson(event) !== row.data)
      return bad(rows.length, row, 'data is not in canonical form (edited)');
    const expected = hashRow(prevHash, {
      deploy_id: row.deploy_id,
      seq: row.seq,
      at: row.at,
      event: event as never,
    });
    if (expected !== row.hash) return bad(rows.length, row, 'hash does not match the row contents (edited)');
    prevHash = row.hash;
  }
  const last = rows[rows.length - 1];
  if ((head?.id ?? 0) !== (last?.id ?? 0) || (head && head.hash !== last?.hash)) {
    const missing = (last?.id ?? 0) + 1;
    return bad(
      rows.length,
      { id: missing, deploy_id: null },
      `rows from ${missing} to ${head?.id ?? 0} were removed (chain head says ${head?.id ?? 0} rows)`,
    );
  }
  return { ok: true, rows: rows.length };
}
