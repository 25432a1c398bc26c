import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entry, idsOf, withQueue, type QueueFactory } from './queue-contract.js';

/** Submissions and the windows they fall in. */
export function describeQueueWindows(factory: QueueFactory): void {
  it('submit returns the entry as stored, with its id, and the window it opened', () =>
    withQueue(factory, async ({ queue }) => {
      const submitted = entry('a', '2026-11-27T10:00:00.000Z', { canary: true });
      const { entry: stored, window } = await queue.submit(submitted);
      assert.deepEqual({ ...stored, id: 0 }, { ...submitted, id: 0 });
      assert.deepEqual(window, {
        environment: 'production',
        opened_at: '2026-11-27T10:00:00.000Z',
        closes_at: '2026-11-27T10:01:00.000Z',
        entries: [stored],
      });
      assert.deepEqual(await queue.window('production'), window);
    }));

  it('the oldest pending submission opens the window; what comes after it closes waits for the next', () =>
    withQueue(factory, async ({ queue }) => {
      const a = await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const b = await queue.submit(entry('b', '2026-11-27T10:00:30.000Z', { windowMs: 5_000 }));
      await queue.submit(entry('c', '2026-11-27T10:01:00.000Z'));
      assert.ok(b.entry.id > a.entry.id, 'ids follow submission order');
      assert.deepEqual(b.window.entries, [a.entry, b.entry], 'b joined the window a opened');
      const window = await queue.window('production');
      assert.equal(window?.closes_at, '2026-11-27T10:01:00.000Z', "the window is a's, not b's");
      assert.deepEqual(idsOf(window), ['a', 'b']);
    }));

  it('one pending submission per changeset and environment: a second is E_WRONG_STATE', () =>
    withQueue(factory, async ({ queue }) => {
      await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      await assert.rejects(queue.submit(entry('a', '2026-11-27T10:00:40.000Z')), {
        code: 'E_WRONG_STATE',
        message: /changeset a is already queued for production/,
      });
      await queue.submit(entry('a', '2026-11-27T10:00:40.000Z', { environment: 'staging' }));
      assert.deepEqual(idsOf(await queue.window('production')), ['a']);
      assert.deepEqual(idsOf(await queue.window('staging')), ['a']);
      assert.equal(await queue.window('qa'), undefined);
    }));

  it('submissions survive a reopen', () =>
    withQueue(factory, async (h) => {
      const { window } = await h.queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const again = await h.reopen();
      assert.deepEqual(await again.window('production'), window);
    }));
}
