import { describe } from 'node:test';
import { openPostgresQueue } from '../../../src/adapters/queue/postgres-queue.js';
import type { ChangesetQueue } from '../../../src/ports/queue.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeQueueContract, type QueueHarness } from './queue-contract.js';

const server = postgresPerFile();

// A fresh database per test; each queue is its own pool on it, as each executor opens one.
describe('PostgreSQL queue', { skip: skipUnlessPostgres() }, () => {
  describeQueueContract('postgres', async () => {
    const url = await (await server()).createDatabase();
    const open = () => openPostgresQueue({ url, label: 'PostgreSQL (test)' });
    const others: ChangesetQueue[] = [];
    const harness: QueueHarness = {
      queue: open(),
      open() {
        const queue = open();
        others.push(queue);
        return queue;
      },
      async reopen() {
        await harness.queue.close();
        harness.queue = open();
        return harness.queue;
      },
      async cleanup() {
        for (const queue of [harness.queue, ...others]) await queue.close().catch(() => undefined);
      },
    };
    return harness;
  });
});
