import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entry, idsOf, withQueue, type QueueFactory } from './queue-contract.js';

/** Deploys take a window's entries out of the queue, and give them back if they never start. */
export function describeQueueClaims(factory: QueueFactory): void {
  it('a claim takes the entries out; the oldest one left opens the next window', () =>
    withQueue(factory, async ({ queue }) => {
      const a = await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const b = await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
      const c = await queue.submit(entry('c', '2026-11-27T10:02:00.000Z'));
      await queue.claim([a.entry.id, b.entry.id], 'd1');
      const next = await queue.window('production');
      assert.deepEqual(next, {
        environment: 'production',
        opened_at: '2026-11-27T10:02:00.000Z',
        closes_at: '2026-11-27T10:03:00.000Z',
        entries: [c.entry],
      });
      assert.deepEqual(await queue.claimants('production'), ['d1']);
      assert.deepEqual(await queue.claimants('staging'), []);
    }));

  it('claiming an entry another deploy holds is E_WRONG_STATE and claims nothing', () =>
    withQueue(factory, async ({ queue }) => {
      const a = await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const b = await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
      await queue.claim([b.entry.id], 'd1');
      await assert.rejects(queue.claim([a.entry.id, b.entry.id], 'd2'), {
        code: 'E_WRONG_STATE',
        message: /taken by another deploy/,
      });
      assert.deepEqual(idsOf(await queue.window('production')), ['a'], 'a is still pending');
      assert.deepEqual(await queue.claimants('production'), ['d1']);
    }));

  it('unclaim gives a deploy’s entries back, in their places; the queue no longer names it', () =>
    withQueue(factory, async ({ queue }) => {
      const a = await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const b = await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
      const before = await queue.window('production');
      await queue.claim([a.entry.id, b.entry.id], 'd1');
      assert.equal(await queue.window('production'), undefined);
      await queue.unclaim('d1');
      assert.deepEqual(await queue.window('production'), before);
      assert.deepEqual(await queue.claimants('production'), []);
      await queue.unclaim('d1');
    }));

  it('a claimed changeset may be submitted again; claims survive a reopen', () =>
    withQueue(factory, async (h) => {
      const a = await h.queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      await h.queue.claim([a.entry.id], 'd1');
      const again = await h.queue.submit(entry('a', '2026-11-27T10:05:00.000Z'));
      assert.notEqual(again.entry.id, a.entry.id);
      const queue = await h.reopen();
      assert.deepEqual(await queue.claimants('production'), ['d1']);
      assert.deepEqual(await queue.window('production'), again.window);
    }));
}
