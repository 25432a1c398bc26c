import { describe } from 'node:test';
import { openPostgresLocks } from '../../../src/adapters/lock/postgres-locks.js';
import type { EnvironmentLocks } from '../../../src/ports/lock.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeLocksContract } from './lock-contract.js';

const server = postgresPerFile();

// A fresh database per test; each store is its own pool on it, as each executor opens one.
describe('PostgreSQL locks', { skip: skipUnlessPostgres() }, () => {
  describeLocksContract('postgres', async () => {
    const url = await (await server()).createDatabase();
    const opened: EnvironmentLocks[] = [];
    return {
      open(options = {}) {
        const locks = openPostgresLocks({ url, label: 'PostgreSQL (test)' }, options);
        opened.push(locks);
        return locks;
      },
      async cleanup() {
        for (const locks of opened) await locks.close().catch(() => undefined);
      },
    };
  });
});
