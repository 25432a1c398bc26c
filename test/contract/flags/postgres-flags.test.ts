import { describe } from 'node:test';
import { openPostgresFlags } from '../../../src/adapters/flags/postgres-flags.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeFlagsContract } from './flags-contract.js';
import { publishedFlagsHarness } from './published-flags-harness.js';

const server = postgresPerFile();

// The PostgreSQL store, as every executor on the database shares it; the runtime daemon serves
// what the store publishes to it, holding no database credentials.
describe('PostgreSQL flags', { skip: skipUnlessPostgres() }, () => {
  describeFlagsContract('postgres, published to the runtime and read over OFREP', async () => {
    const url = await (await server()).createDatabase();
    return publishedFlagsHarness(() => openPostgresFlags({ url, label: 'PostgreSQL (test)' }));
  });
});
