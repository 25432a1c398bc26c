import { describe } from 'node:test';
import type { Journal } from '../../../src/ports/journal.js';
import { describeJournalAppend } from './journal-append.js';
import { describeJournalChain } from './journal-chain.js';
import { describeJournalIndex } from './journal-index.js';
import { describeJournalOpenDeploys } from './journal-open-deploys.js';
import { describeJournalRowsAfter } from './journal-rows-after.js';

/** One journal store, fresh for each test, and what the suite needs to reach around the port. */
export interface JournalHarness {
  journal: Journal;
  /**
   * Closes the journal and opens the same store again, as the next process would; `read` as
   * status, log and audit open it. `journal` is then the reopened one.
   */
  reopen(access?: 'read' | 'write'): Promise<Journal>;
  /** Another process takes the store's write lock; the returned function gives it back. */
  block(): Promise<() => Promise<void>>;
  /** closes whatever is open and removes the store */
  cleanup(): Promise<void>;
}

export type JournalFactory = () => Promise<JournalHarness>;

/**
 * The behaviour every Journal adapter must have (ports/journal.ts): append with optimistic
 * concurrency, reads after writes, one hash chain across every deploy, head/verify, the deploy
 * index and the open deploys. Each test gets a fresh store from `factory`.
 *
 * @example describeJournalContract('sqlite', async () => sqliteHarness(join(tmp, 'journal.db')));
 */
export function describeJournalContract(name: string, factory: JournalFactory): void {
  describe(`Journal contract: ${name}`, () => {
    describeJournalAppend(factory);
    describeJournalChain(factory);
    describeJournalIndex(factory);
    describeJournalOpenDeploys(factory);
    describeJournalRowsAfter(factory);
  });
}

/** Runs `body` on a fresh harness and cleans it up, whatever happens. */
export async function withJournal(
  factory: JournalFactory,
  body: (h: JournalHarness) => Promise<void>,
): Promise<void> {
  const harness = await factory();
  try {
    await body(harness);
  } finally {
    await harness.cleanup();
  }
}
