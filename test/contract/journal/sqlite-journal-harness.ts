import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateAccess } from '../../../src/adapters/state-dir/open-database.js';
import type { Journal } from '../../../src/ports/journal.js';
import { holdJournal } from '../../support/journal-holder.js';
import type { JournalFactory, JournalHarness } from './journal-contract.js';

/** How a test file opens its SQLite-backed journal on `path` (in a temp dir of its own). */
export type OpenSqliteBacked = (path: string, access: StateAccess, dir: string) => Journal;

/**
 * A fresh SQLite journal file per test; `block` is another OS process holding `BEGIN EXCLUSIVE`
 * on it, as a backup tool or an operator's `sqlite3` session would.
 */
export function sqliteJournalFactory(open: OpenSqliteBacked): JournalFactory {
  return async (): Promise<JournalHarness> => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-journal-contract-'));
    const path = join(dir, 'journal.db');
    let current = open(path, 'write', dir);
    const harness: JournalHarness = {
      journal: current,
      async reopen(access = 'write') {
        await current.close();
        current = open(path, access, dir);
        harness.journal = current;
        return current;
      },
      async block() {
        const holder = await holdJournal(path);
        return () => holder.release();
      },
      async cleanup() {
        await current.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
    return harness;
  };
}
