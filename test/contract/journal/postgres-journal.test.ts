import { describe } from 'node:test';
import pg from 'pg';
import { openPostgresJournal } from '../../../src/adapters/journal/postgres-journal.js';
import type { StateAccess } from '../../../src/adapters/state-dir/open-database.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeJournalContract, type JournalHarness } from './journal-contract.js';

const server = postgresPerFile();

// A fresh database per test on the file's own cluster. A short lock timeout, so the
// blocked-store test fails its append quickly.
describe('PostgreSQL journal', { skip: skipUnlessPostgres() }, () => {
  describeJournalContract('postgres', async (): Promise<JournalHarness> => {
    const url = await (await server()).createDatabase();
    const open = (access: StateAccess) =>
      openPostgresJournal({ url, label: 'PostgreSQL (test)' }, { access, lockTimeoutMs: 100 });
    const harness: JournalHarness = {
      journal: open('write'),
      async reopen(access = 'write') {
        await harness.journal.close();
        harness.journal = open(access);
        return harness.journal;
      },
      // Another session holding the chain head, as a long transaction or an operator's psql would.
      async block() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query('BEGIN');
        await client.query('SELECT * FROM cutover.chain_head FOR UPDATE');
        return async () => {
          await client.query('ROLLBACK');
          await client.end();
        };
      },
      async cleanup() {
        await harness.journal.close().catch(() => undefined);
      },
    };
    return harness;
  });
});
