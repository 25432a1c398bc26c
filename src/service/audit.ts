import { extendAnchor } from '../adapters/journal/anchor-on-close.js';
import { auditJournal, type AuditReport } from '../adapters/journal/audit-journal.js';
import type { CheckpointVerifier } from '../adapters/journal/checkpoint-signature.js';
import { findDeployEvidence } from '../adapters/journal/deploy-evidence.js';
import type { JournalHead } from '../core/journal-head.js';
import type { App } from '../cli/app.js';

/** Everything `audit verify` checks (auditJournal), on `app`'s journal and anchors. */
export function auditState(
  app: App,
  verifier: CheckpointVerifier | undefined,
  expectHead?: JournalHead,
): Promise<AuditReport> {
  return auditJournal(app.journal(), {
    anchors: app.anchor().read(),
    verifier,
    evidence: () => findDeployEvidence(app.stateDir),
    expectHead,
  });
}

/**
 * Moves the journal's high-water mark (and signed checkpoint, with a key) up to its head. A CLI
 * command does it when it closes its journal (anchor-on-close.ts); a server that keeps its journal
 * open does it after each operation that appended, so `audit verify` never finds its rows
 * unanchored. Best effort, as on close: a failure is reported, the operation's work is done.
 */
export async function anchorJournal(app: App, warn: (line: string) => void): Promise<void> {
  try {
    const result = await extendAnchor(app.journal(), app.anchor(), app.auditKeys('sign').signer, new Date());
    if (!result.ok) warn(`cutover: could not extend the journal's anchor: ${result.problem}`);
  } catch (err) {
    warn(`cutover: could not extend the journal's anchor: ${(err as Error).message}`);
  }
}
