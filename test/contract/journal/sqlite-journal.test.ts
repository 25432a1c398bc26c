import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { describeJournalContract } from './journal-contract.js';
import { sqliteJournalFactory } from './sqlite-journal-harness.js';

// A short busy wait, so the blocked-store test fails its append quickly.
describeJournalContract(
  'sqlite',
  sqliteJournalFactory((path, access) => openSqliteJournal(path, { access, busyTimeoutMs: 50 })),
);
