import type { Journal } from '../../ports/journal.js';
import type { CheckpointSigner } from './checkpoint-signature.js';
import type { JournalAnchor, Mark } from './journal-anchor.js';

export type ExtendResult = { ok: true; mark: Mark | undefined } | { ok: false; problem: string };

/**
 * Extends the anchor to the journal's head: recomputes the rows after the furthest mark the anchor
 * holds (the high-water mark or the newest checkpoint), then raises the high-water mark and, with a
 * signer, stores a signed checkpoint of the head. When the chain no longer holds that mark it
 * writes nothing, so a chain cut or rewritten since is never signed over: `audit verify` says why.
 * `mark` is undefined when there was nothing new to anchor.
 */
export async function extendAnchor(
  journal: Journal,
  anchor: JournalAnchor,
  signer: CheckpointSigner | undefined,
  now: Date,
): Promise<ExtendResult> {
  const { highWater, checkpoints } = anchor.read();
  const newest = checkpoints.at(-1);
  const base = [highWater, newest].reduce<Mark | undefined>(
    (far, m) => (m && (!far || m.rows > far.rows) ? m : far),
    undefined,
  );
  const report = await journal.verify(base && { rows: base.rows, hash: base.hash });
  if (!report.ok) return { ok: false, problem: `row ${report.bad_row}: ${report.reason}` };
  const hash = await journal.hashAt(report.rows);
  if (report.rows === 0 || hash === undefined) return { ok: true, mark: undefined };
  const covered = (highWater?.rows ?? 0) >= report.rows && (!signer || newest?.rows === report.rows);
  if (covered) return { ok: true, mark: undefined };
  const mark = { rows: report.rows, hash, at: now.toISOString() };
  anchor.record(mark, signer?.sign(mark));
  return { ok: true, mark };
}

export interface AnchorOnCloseOptions {
  openAnchor(): JournalAnchor;
  signer?: CheckpointSigner;
  now(): Date;
  /** an anchor that could not be extended is reported, not thrown: the command's work is done */
  warn(line: string): void;
}

/**
 * The journal, extending its anchor when it is closed after this process appended to it: once
 * per command rather than per row, since every extension is a write (and an fsync) to a second
 * file. A command killed before closing leaves the mark behind the head, never ahead of it; the
 * next command that appends and closes covers its rows too.
 */
export function anchorOnClose(journal: Journal, options: AnchorOnCloseOptions): Journal {
  let appended = false;
  return {
    ...journal,
    async append(deployId, expectedSeq, at, event, fence) {
      const row = await journal.append(deployId, expectedSeq, at, event, fence);
      appended = true;
      return row;
    },
    async close() {
      try {
        if (appended) await extend(journal, options);
      } finally {
        await journal.close();
      }
    },
  };
}

async function extend(journal: Journal, options: AnchorOnCloseOptions): Promise<void> {
  let anchor: JournalAnchor | undefined;
  let problem: string;
  try {
    anchor = options.openAnchor();
    const result = await extendAnchor(journal, anchor, options.signer, options.now());
    if (result.ok) return;
    problem = `the journal fails verification at ${result.problem}`;
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  } finally {
    anchor?.close();
  }
  options.warn(
    `cutover: warning: the journal's head was not anchored: ${problem} (see cutover audit verify)`,
  );
}
