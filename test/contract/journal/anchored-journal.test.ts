import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after } from 'node:test';
import { anchorOnClose } from '../../../src/adapters/journal/anchor-on-close.js';
import { openJournalAnchor } from '../../../src/adapters/journal/journal-anchor.js';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { describeJournalContract } from './journal-contract.js';
import { sqliteJournalFactory } from './sqlite-journal-harness.js';

const warnings: string[] = [];
after(() => assert.deepEqual(warnings, [], 'every close anchored the head'));

// The journal as the CLI opens it to write: SQLite, extending journal-anchor.db on close. Read
// access is the bare SQLite journal, as the CLI's read-only verbs open it.
describeJournalContract(
  'sqlite, anchored on close',
  sqliteJournalFactory((path, access, dir) => {
    const journal = openSqliteJournal(path, { access, busyTimeoutMs: 50 });
    if (access === 'read') return journal;
    return anchorOnClose(journal, {
      openAnchor: () => openJournalAnchor(join(dir, 'journal-anchor.db'), 'write'),
      now: () => new Date(),
      warn: (line) => warnings.push(line),
    });
  }),
);
