import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { anchorOnClose, extendAnchor } from '../../../src/adapters/journal/anchor-on-close.js';
import { auditJournal, type AuditReport } from '../../../src/adapters/journal/audit-journal.js';
import {
  createCheckpointSigner,
  type CheckpointSigner,
} from '../../../src/adapters/journal/checkpoint-signature.js';
import { openJournalAnchor } from '../../../src/adapters/journal/journal-anchor.js';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { happyPath } from '../../support/events.js';
import { rehashJournal, truncateJournal } from '../../support/journal-tamper.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());
let dirs = 0;
const freshDir = (): string => {
  const dir = join(tmp.dir, `state-${dirs++}`);
  mkdirSync(dir);
  return dir;
};

const newSigner = (): CheckpointSigner => createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);

let n = 0;
/** One command's worth of appends (a deploy of `events` events), closed as the CLI closes it. */
async function deployOnce(dir: string, deployId: string, signer?: CheckpointSigner, warnings: string[] = []) {
  const journal = anchorOnClose(openSqliteJournal(join(dir, 'journal.db')), {
    openAnchor: () => openJournalAnchor(join(dir, 'journal-anchor.db'), 'write'),
    signer,
    now: () => new Date(Date.UTC(2026, 1, 24, 10, n++)),
    warn: (line) => warnings.push(line),
  });
  for (const [i, e] of happyPath().entries()) await journal.append(deployId, i, new Date(), e);
  await journal.close();
  return warnings;
}

function audit(dir: string, verifier?: CheckpointSigner): Promise<AuditReport> {
  const anchor = openJournalAnchor(join(dir, 'journal-anchor.db'), 'read');
  const anchors = anchor.read();
  anchor.close();
  return auditJournal(openSqliteJournal(join(dir, 'journal.db'), { access: 'read' }), {
    anchors,
    verifier,
    evidence: () => [],
  });
}

function problemOf(report: AuditReport): string {
  assert.equal(report.ok, false, 'the audit passed');
  return report.ok ? '' : `${report.verdict}: ${report.problem}`;
}

/** Edits one event, then rehashes the whole chain with the project's own hashRow. */
function rewriteChain(dir: string, editedRow: number): string {
  return rehashJournal(dir, (event, rowId) => {
    if (rowId === editedRow) event.reason = 'nothing to see here';
  }).head;
}

function setHighWater(dir: string, rows: number, hash: string): void {
  const db = new Database(join(dir, 'journal-anchor.db'));
  db.prepare('UPDATE high_water SET rows = ?, hash = ?').run(rows, hash);
  db.close();
}

test('closing after appends raises the high-water mark; cutting rows and chain_head is then caught', async () => {
  const dir = freshDir();
  await deployOnce(dir, 'deploy-a');
  await deployOnce(dir, 'deploy-b');
  const ok = await audit(dir);
  assert.equal(ok.ok && ok.head.rows, 22);
  truncateJournal(dir, 15);
  assert.deepEqual(await openSqliteJournal(join(dir, 'journal.db')).verify(), {
    ok: true,
    rows: 15,
  });
  assert.match(
    problemOf(await audit(dir)),
    /^TAMPERED: the journal has 15 rows but the high-water mark in journal-anchor\.db \(.*\) records 22: rows 16 to 22 were removed$/,
  );
});

test('rows with neither a high-water mark nor a checkpoint are NOT ANCHORED, until the head is recorded', async () => {
  const dir = freshDir();
  await deployOnce(dir, 'deploy-a');
  await deployOnce(dir, 'deploy-b');
  // The attack: cut the newest rows, make chain_head agree, delete the file that remembers more.
  truncateJournal(dir, 15);
  rmSync(join(dir, 'journal-anchor.db'));
  assert.equal(
    problemOf(await audit(dir)),
    'NOT ANCHORED: journal-anchor.db holds no high-water mark of the 15 rows: deleted, or the journal was written before cutover kept one (cutover audit checkpoint records the current head)',
  );
  // A journal written before the anchor existed reads the same; recording its head anchors it.
  const anchor = openJournalAnchor(join(dir, 'journal-anchor.db'), 'write');
  const journal = openSqliteJournal(join(dir, 'journal.db'));
  const recorded = await extendAnchor(journal, anchor, undefined, new Date(Date.UTC(2026, 1, 25)));
  anchor.close();
  await journal.close();
  assert.deepEqual(recorded.ok && [recorded.mark?.rows, recorded.mark?.at], [15, '2026-02-25T00:00:00.000Z']);
  const report = await audit(dir);
  assert.equal(report.ok && report.head.rows, 15);
});

test('a chain rehashed with the project’s own function is caught by the mark, and by a checkpoint when the mark is rewritten too', async () => {
  const dir = freshDir();
  const signer = newSigner();
  await deployOnce(dir, 'deploy-a', signer);
  const forgedHead = rewriteChain(dir, 3);
  assert.equal(
    (await openSqliteJournal(join(dir, 'journal.db')).verify()).ok,
    true,
    'the chain itself verifies',
  );
  assert.match(
    problemOf(await audit(dir, signer)),
    /^TAMPERED: row 11 has hash [0-9a-f]{64}, not [0-9a-f]{64} as the high-water mark/,
  );
  setHighWater(dir, 11, forgedHead);
  assert.match(
    problemOf(await audit(dir, signer)),
    /^TAMPERED: row 11 has hash [0-9a-f]{64}, not [0-9a-f]{64} as the checkpoint signed at 2026-02-24T10:\d\d:00\.000Z records: the chain up to it was rewritten$/,
  );
});

test('a checkpoint edited to match a forged chain, or signed by another key, does not verify', async () => {
  const dir = freshDir();
  const signer = newSigner();
  await deployOnce(dir, 'deploy-a', signer);
  const forgedHead = rewriteChain(dir, 3);
  setHighWater(dir, 11, forgedHead);
  const db = new Database(join(dir, 'journal-anchor.db'));
  db.prepare('UPDATE checkpoints SET hash = ?').run(forgedHead);
  db.close();
  assert.match(
    problemOf(await audit(dir, signer)),
    new RegExp(
      `^TAMPERED: the checkpoint of row 11 \\(.*\\) in journal-anchor\\.db does not verify with audit key ${signer.keyId}: forged`,
    ),
  );
  const other = freshDir();
  await deployOnce(other, 'deploy-a', newSigner());
  assert.match(problemOf(await audit(other, signer)), /does not verify with audit key/);
});

test('with a key, deleting every checkpoint leaves the journal NOT ANCHORED; cutting below one is TAMPERED', async () => {
  const dir = freshDir();
  const signer = newSigner();
  await deployOnce(dir, 'deploy-a', signer);
  await deployOnce(dir, 'deploy-b', signer);
  const report = await audit(dir, signer);
  assert.equal(report.ok, true);
  assert.match(
    report.ok ? report.notes.join() : '',
    /^2 signed checkpoints verified \(newest: row 22, [^;]*\)$/,
  );
  truncateJournal(dir, 11);
  setHighWater(dir, 11, (await openSqliteJournal(join(dir, 'journal.db')).head()).hash);
  assert.match(
    problemOf(await audit(dir, signer)),
    /^TAMPERED: the journal has 11 rows but the checkpoint signed at .* records 22: rows 12 to 22 were removed$/,
  );
  const db = new Database(join(dir, 'journal-anchor.db'));
  db.prepare('DELETE FROM checkpoints').run();
  db.close();
  assert.match(
    problemOf(await audit(dir, signer)),
    /^NOT ANCHORED: an audit key is configured but journal-anchor\.db holds no checkpoint of the 11 rows/,
  );
});

test('a command appending to a cut chain does not extend the anchor over it, and says so', async () => {
  const dir = freshDir();
  const signer = newSigner();
  await deployOnce(dir, 'deploy-a', signer);
  await deployOnce(dir, 'deploy-b', signer);
  truncateJournal(dir, 11);
  const warnings = await deployOnce(dir, 'deploy-c', signer);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^cutover: warning: the journal's head was not anchored: .*row 22/);
  const anchor = openJournalAnchor(join(dir, 'journal-anchor.db'), 'read');
  const { highWater, checkpoints } = anchor.read();
  anchor.close();
  assert.deepEqual([highWater?.rows, checkpoints.map((c) => c.rows)], [22, [11, 22]]);
  assert.match(problemOf(await audit(dir, signer)), /^TAMPERED: row 22 has hash/);
});

test('verify(after) recomputes only the rows after a trusted head, and refuses when that row changed', async () => {
  const dir = freshDir();
  await deployOnce(dir, 'deploy-a');
  await deployOnce(dir, 'deploy-b');
  const journal = openSqliteJournal(join(dir, 'journal.db'));
  const at11 = { rows: 11, hash: (await journal.hashAt(11))! };
  assert.deepEqual(await journal.verify(at11), { ok: true, rows: 22 });
  const db = new Database(join(dir, 'journal.db'));
  db.prepare("UPDATE events SET at = '2020-01-01T00:00:00.000Z' WHERE id = 5").run();
  db.close();
  assert.deepEqual(await journal.verify(at11), { ok: true, rows: 22 }, 'row 5 is before the trusted head');
  assert.equal((await journal.verify()).ok, false);
  assert.deepEqual(await journal.verify({ rows: 11, hash: 'f'.repeat(64) }), {
    ok: false,
    rows: 11,
    bad_row: 11,
    deploy_id: null,
    reason: `row 11 is not the row 11:${'f'.repeat(64)} verified before`,
  });
  await journal.close();
});
