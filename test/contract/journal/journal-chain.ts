import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import type { Journal, JournalRow } from '../../../src/ports/journal.js';
import { happyPath } from '../../support/events.js';
import { withJournal, type JournalFactory } from './journal-contract.js';

const GENESIS = '0'.repeat(64);

/** The chain as the design states it, computed here without the adapter's code. */
function expectedHash(row: JournalRow): string {
  const { deploy_id, seq, at, event } = row;
  return createHash('sha256')
    .update(row.prev_hash)
    .update(canonicalJson({ deploy_id, seq, at, event }))
    .digest('hex');
}

/** Appends the happy path to two deploys, interleaved; returns every row in id order. */
async function twoDeploys(journal: Journal): Promise<JournalRow[]> {
  const rows: JournalRow[] = [];
  for (const [i, event] of happyPath().entries()) {
    const at = new Date(Date.UTC(2026, 1, 24, 10, 0, i));
    rows.push(await journal.append('d-a', i, at, event));
    if (i < 3) rows.push(await journal.append('d-b', i, at, event));
  }
  return rows;
}

/** One hash chain through every row of every deploy; head, hashAt and verify read it. */
export function describeJournalChain(factory: JournalFactory): void {
  it('an empty journal: head 0 rows at 64 zeros, verify ok, no row 1', () =>
    withJournal(factory, async ({ journal }) => {
      assert.deepEqual(await journal.head(), { rows: 0, hash: GENESIS });
      assert.deepEqual(await journal.verify(), { ok: true, rows: 0 });
      assert.equal(await journal.hashAt(1), undefined);
    }));

  it('each row chains to the row before it in the whole journal: hash = sha256(prev_hash ‖ canonical JSON)', () =>
    withJournal(factory, async ({ journal }) => {
      const rows = await twoDeploys(journal);
      assert.deepEqual(
        rows.map((r) => r.id),
        rows.map((_, i) => i + 1),
      );
      rows.forEach((row, i) => {
        assert.equal(row.prev_hash, i === 0 ? GENESIS : rows[i - 1]!.hash, `prev_hash of row ${row.id}`);
        assert.equal(row.hash, expectedHash(row), `hash of row ${row.id}`);
      });
      const stored = [...(await journal.rows('d-a')), ...(await journal.rows('d-b'))];
      assert.deepEqual(
        stored.sort((a, b) => a.id - b.id),
        rows,
      );
    }));

  it('head and hashAt name the newest row; verify recomputes the whole chain', () =>
    withJournal(factory, async ({ journal }) => {
      const rows = await twoDeploys(journal);
      const last = rows.at(-1)!;
      assert.deepEqual(await journal.head(), { rows: last.id, hash: last.hash });
      assert.equal(await journal.hashAt(3), rows[2]!.hash);
      assert.equal(await journal.hashAt(last.id + 1), undefined);
      assert.deepEqual(await journal.verify(), { ok: true, rows: rows.length });
    }));

  it('verify from a trusted head: ok when the chain still has it, the bad row when it does not', () =>
    withJournal(factory, async ({ journal }) => {
      const rows = await twoDeploys(journal);
      const mark = { rows: 5, hash: rows[4]!.hash };
      assert.deepEqual(await journal.verify(mark), { ok: true, rows: rows.length });
      const forged = await journal.verify({ rows: 5, hash: 'f'.repeat(64) });
      assert.equal(forged.ok, false);
      assert.equal(!forged.ok && forged.bad_row, 5);
    }));

  it('rows survive a reopen, and appends after it continue the same chain', () =>
    withJournal(factory, async (h) => {
      const rows = await twoDeploys(h.journal);
      const journal = await h.reopen();
      assert.deepEqual(
        await journal.rows('d-b'),
        rows.filter((r) => r.deploy_id === 'd-b'),
      );
      const next = await journal.append('d-b', 3, new Date(), { type: 'DEPLOY_SUCCEEDED' });
      assert.deepEqual([next.id, next.seq, next.prev_hash], [rows.length + 1, 4, rows.at(-1)!.hash]);
      assert.deepEqual(await journal.verify(), { ok: true, rows: rows.length + 1 });
    }));
}
