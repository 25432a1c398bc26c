import assert from 'node:assert/strict';
import { it } from 'node:test';
import { happyPath } from '../../support/events.js';
import { withJournal, type JournalFactory } from './journal-contract.js';

/** What `cutover serve` streams from: every deploy's rows past a global position, in chain order. */
export function describeJournalRowsAfter(factory: JournalFactory): void {
  it('rowsAfter returns the rows of every deploy after a global id, in id order, at most limit', () =>
    withJournal(factory, async ({ journal }) => {
      assert.deepEqual(await journal.rowsAfter(0, 10), []);
      const appended = [];
      for (const [i, event] of happyPath().slice(0, 3).entries()) {
        const at = new Date(Date.UTC(2026, 1, 24, 10, 0, i));
        appended.push(await journal.append('d-a', i, at, event));
        appended.push(await journal.append('d-b', i, at, event));
      }
      assert.deepEqual(await journal.rowsAfter(0, 100), appended);
      assert.deepEqual(await journal.rowsAfter(2, 3), appended.slice(2, 5));
      assert.deepEqual(await journal.rowsAfter(appended.at(-1)!.id, 10), []);
    }));

  it('rowsAfter on a journal reopened for reading sees what was appended before', () =>
    withJournal(factory, async (h) => {
      const row = await h.journal.append('d-a', 0, new Date(Date.UTC(2026, 1, 24)), happyPath()[0]!);
      const reading = await h.reopen('read');
      assert.deepEqual(await reading.rowsAfter(0, 10), [row]);
    }));
}
