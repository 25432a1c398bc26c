import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteQueue } from '../../../src/adapters/queue/sqlite-queue.js';
import type { ChangesetQueue } from '../../../src/ports/queue.js';
import { describeQueueContract, type QueueHarness } from './queue-contract.js';

describeQueueContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-queue-contract-'));
  const path = join(dir, 'queue.db');
  const others: ChangesetQueue[] = [];
  const harness: QueueHarness = {
    queue: openSqliteQueue(path),
    open() {
      const queue = openSqliteQueue(path);
      others.push(queue);
      return queue;
    },
    async reopen() {
      await harness.queue.close();
      harness.queue = openSqliteQueue(path);
      return harness.queue;
    },
    async cleanup() {
      for (const queue of [harness.queue, ...others]) await queue.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
});
