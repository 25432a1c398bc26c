import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteQueue } from '../../../src/adapters/queue/sqlite-queue.js';
import { changesetSchema } from '../../../src/core/schema/changeset.js';
import type { QueuedChangeset } from '../../../src/ports/queue.js';
import { makeTempDir } from '../../support/tmp.js';

const entry = (id: string, at: string, windowMs = 60_000): Omit<QueuedChangeset, 'id'> => ({
  environment: 'production',
  changeset: changesetSchema.parse({
    id,
    service: 'shop',
    version: '1.0.0',
    commit: 'abc1234',
    source: '.',
    feature_flag: `ff-${id}`,
  }),
  path: `/x/${id}.yaml`,
  base_dir: '/x',
  strategy: null,
  submitted_by: 'test',
  submitted_at: at,
  window_ms: windowMs,
});

test('the oldest pending submission opens the window; later ones wait for the next', async () => {
  const tmp = makeTempDir('cutover-queue-');
  const queue = openSqliteQueue(join(tmp.dir, 'queue.db'));
  try {
    const first = await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
    assert.equal(first.window.closes_at, '2026-11-27T10:01:00.000Z');
    await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
    await queue.submit(entry('c', '2026-11-27T10:02:00.000Z'));
    await assert.rejects(
      queue.submit(entry('a', '2026-11-27T10:00:40.000Z')),
      /changeset a is already queued/,
    );
    const window = await queue.window('production');
    assert.deepEqual(
      window?.entries.map((e) => e.changeset.id),
      ['a', 'b'],
    );

    await queue.claim(
      window!.entries.map((e) => e.id),
      'd1',
    );
    await assert.rejects(queue.claim([window!.entries[0]!.id], 'd2'), /taken by another deploy/);
    assert.deepEqual(
      (await queue.window('production'))?.entries.map((e) => e.changeset.id),
      ['c'],
    );
    assert.deepEqual(await queue.claimants('production'), ['d1']);

    await queue.unclaim('d1');
    assert.deepEqual(
      (await queue.window('production'))?.entries.map((e) => e.changeset.id),
      ['a', 'b'],
    );
    assert.equal(await queue.window('staging'), undefined);
  } finally {
    await queue.close();
    tmp.cleanup();
  }
});

test('a second process sees the queue as the first left it (durable, one file)', async () => {
  const tmp = makeTempDir('cutover-queue-');
  const path = join(tmp.dir, 'queue.db');
  const one = openSqliteQueue(path);
  await one.submit(entry('a', '2026-11-27T10:00:00.000Z'));
  await one.close();
  const two = openSqliteQueue(path);
  try {
    assert.deepEqual(
      (await two.window('production'))?.entries.map((e) => e.submitted_by),
      ['test'],
    );
  } finally {
    await two.close();
    tmp.cleanup();
  }
});
