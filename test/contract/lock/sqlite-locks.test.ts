import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import type { EnvironmentLocks } from '../../../src/ports/lock.js';
import { describeLocksContract } from './lock-contract.js';

// Each store is its own connection to one locks.db, as each cutover process opens it.
describeLocksContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-locks-contract-'));
  const opened: EnvironmentLocks[] = [];
  return {
    open(options = {}) {
      const locks = openSqliteLocks(join(dir, 'locks.db'), options);
      opened.push(locks);
      return locks;
    },
    async cleanup() {
      for (const locks of opened) await locks.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
});
