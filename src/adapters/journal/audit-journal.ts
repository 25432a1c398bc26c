import type { Journal, JournalHead } from '../../ports/journal.js';
import type { CheckpointVerifier } from './checkpoint-signature.js';
import { GENESIS_HASH } from './hash-chain.js';
import type { Anchors } from './journal-anchor.js';

export interface AuditInput {
  anchors: Anchors;
  /** unset when no audit key is configured: checkpoints are then only compared, not verified */
  verifier?: CheckpointVerifier;
  /** What else in the state dir shows deploys happened; asked only when the journal is empty. */
  evidence(): string[];
  /** `--expect-head`: a head kept outside the state dir */
  expectHead?: JournalHead;
}

export type AuditReport =
  | { ok: true; head: JournalHead; notes: string[] }
  | { ok: false; verdict: 'TAMPERED' | 'NOT ANCHORED'; problem: string };

const tampered = (problem: string): AuditReport => ({ ok: false, verdict: 'TAMPERED', problem });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Everything `cutover audit verify` checks, first failure wins: the hash chain itself; an empty
 * journal where something else knows of deploys; then every head recorded elsewhere — the
 * high-water mark, the expected head, each checkpoint (and its signature, given a key) — must
 * still be a row of the chain with that hash. A journal that has rows must have a high-water mark
 * or a checkpoint (else journal-anchor.db was deleted, taking the mark of a cut along), and with a
 * key a checkpoint: deleting them all is the one edit a signature cannot show.
 */
export async function auditJournal(journal: Journal, input: AuditInput): Promise<AuditReport> {
  const chain = await journal.verify();
  if (!chain.ok) {
    const deploy = chain.deploy_id ? ` (deploy ${chain.deploy_id})` : '';
    return tampered(`row ${chain.bad_row}${deploy}: ${chain.reason}`);
  }
  const head = await journal.head();
  const { highWater, checkpoints } = input.anchors;
  if (head.rows === 0) {
    const anchored = highWater
      ? [`journal-anchor.db recorded ${plural(highWater.rows, 'row')} at ${highWater.at}`]
      : checkpoints.length > 0
        ? [`journal-anchor.db holds ${plural(checkpoints.length, 'checkpoint')}`]
        : [];
    const known = [...anchored, ...input.evidence()];
    if (known.length > 0) return tampered(`the journal is empty but ${known.join(', ')}`);
  }
  const marks: Array<[JournalHead, string]> = [];
  if (highWater) marks.push([highWater, `the high-water mark in journal-anchor.db (${highWater.at})`]);
  if (input.expectHead) marks.push([input.expectHead, 'the expected head (--expect-head)']);
  for (const c of checkpoints) {
    if (input.verifier && !input.verifier.verify(c))
      return tampered(
        `the checkpoint of row ${c.rows} (${c.at}) in journal-anchor.db does not verify with audit key ${input.verifier.keyId}: forged, or signed by another key (${c.key_id})`,
      );
    marks.push([c, `the checkpoint signed at ${c.at}`]);
  }
  for (const [mark, what] of marks) {
    const problem = await checkMark(journal, head, mark, what);
    if (problem) return tampered(problem);
  }
  if (head.rows > 0 && !highWater && checkpoints.length === 0)
    return {
      ok: false,
      verdict: 'NOT ANCHORED',
      problem: `journal-anchor.db holds no high-water mark of the ${plural(head.rows, 'row')}: deleted, or the journal was written before cutover kept one (cutover audit checkpoint records the current head)`,
    };
  if (input.verifier && head.rows > 0 && checkpoints.length === 0)
    return {
      ok: false,
      verdict: 'NOT ANCHORED',
      problem: `an audit key is configured but journal-anchor.db holds no checkpoint of the ${plural(head.rows, 'row')}: deleted, or the key is new (cutover audit checkpoint signs the current head)`,
    };
  return { ok: true, head, notes: notesOn(head, input) };
}

async function checkMark(
  journal: Journal,
  head: JournalHead,
  mark: JournalHead,
  what: string,
): Promise<string | undefined> {
  if (mark.rows > head.rows)
    return `the journal has ${plural(head.rows, 'row')} but ${what} records ${mark.rows}: rows ${head.rows + 1} to ${mark.rows} were removed`;
  const hash = mark.rows === 0 ? GENESIS_HASH : await journal.hashAt(mark.rows);
  if (hash !== mark.hash)
    return `row ${mark.rows} has hash ${hash}, not ${mark.hash} as ${what} records: the chain up to it was rewritten`;
  return undefined;
}

function notesOn(head: JournalHead, input: AuditInput): string[] {
  const notes: string[] = [];
  const newest = input.anchors.checkpoints.at(-1);
  if (input.expectHead) notes.push(`row ${input.expectHead.rows} is the expected head`);
  if (input.verifier && newest) {
    const pending = head.rows > newest.rows ? `; rows ${newest.rows + 1} to ${head.rows} not yet signed` : '';
    notes.push(
      `${plural(input.anchors.checkpoints.length, 'signed checkpoint')} verified (newest: row ${newest.rows}, ${newest.at})${pending}`,
    );
  } else if (!input.expectHead && head.rows > 0) {
    notes.push(
      'no anchor outside the state dir (keep cutover audit head elsewhere, or set audit.signing_key)',
    );
  }
  return notes;
}
