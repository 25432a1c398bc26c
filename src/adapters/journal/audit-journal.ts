import type { Journal, JournalHead } from '../../ports/journal.js';
import { GENESIS_HASH } from './hash-chain.js';
import type { Anchors } from './journal-anchor.js';

export interface AuditInput {
  anchors: Anchors;
  /** What else in the state dir shows deploys happened; asked only when the journal is empty. */
  evidence(): string[];
  /** `--expect-head`: a head kept outside the state dir */
  expectHead?: JournalHead;
}

export type AuditReport =
  { ok: true; head: JournalHead; notes: string[] } | { ok: false; verdict: 'TAMPERED'; problem: string };

const tampered = (problem: string): AuditReport => ({ ok: false, verdict: 'TAMPERED', problem });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Everything `cutover audit verify` checks, first failure wins: the hash chain itself; an empty
 * journal where something else knows of deploys; then every head recorded elsewhere — the
 * high-water mark, the expected head — must still be a row of the chain with that hash.
 */
export async function auditJournal(journal: Journal, input: AuditInput): Promise<AuditReport> {
  const chain = await journal.verify();
  if (!chain.ok) {
    const deploy = chain.deploy_id ? ` (deploy ${chain.deploy_id})` : '';
    return tampered(`row ${chain.bad_row}${deploy}: ${chain.reason}`);
  }
  const head = await journal.head();
  const { highWater } = input.anchors;
  if (head.rows === 0) {
    const anchored = highWater
      ? [`journal-anchor.db recorded ${plural(highWater.rows, 'row')} at ${highWater.at}`]
      : [];
    const known = [...anchored, ...input.evidence()];
    if (known.length > 0) return tampered(`the journal is empty but ${known.join(', ')}`);
  }
  const marks: Array<[JournalHead, string]> = [];
  if (highWater) marks.push([highWater, `the high-water mark in journal-anchor.db (${highWater.at})`]);
  if (input.expectHead) marks.push([input.expectHead, 'the expected head (--expect-head)']);
  for (const [mark, what] of marks) {
    const problem = await checkMark(journal, head, mark, what);
    if (problem) return tampered(problem);
  }
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
  if (input.expectHead) return [`row ${input.expectHead.rows} is the expected head`];
  return head.rows > 0 ? ['no anchor outside the state dir (keep cutover audit head elsewhere)'] : [];
}
