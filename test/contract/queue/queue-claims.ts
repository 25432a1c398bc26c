import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { QueueWindow } from '../../../src/ports/queue.js';
import { entry, idsOf, withQueue, type QueueFactory } from './queue-contract.js';

/** Deploys take a window's entries out of the queue, and give them back if they never start. */
export function describeQueueClaims(factory: QueueFactory): void {
  it('take takes the current window for a deploy; the oldest one left opens the next window', () =>
    withQueue(factory, async ({ queue }) => {
      await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      const b = await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
      const c = await queue.submit(entry('c', '2026-11-27T10:02:00.000Z'));
      assert.deepEqual(await queue.take('production', 'd1'), b.window, 'the window a opened, b in it');
      const next = await queue.window('production');
      assert.deepEqual(next, {
        environment: 'production',
        opened_at: '2026-11-27T10:02:00.000Z',
        closes_at: '2026-11-27T10:03:00.000Z',
        entries: [c.entry],
      });
      assert.deepEqual(await queue.claimants('production'), ['d1']);
      assert.deepEqual(await queue.claimants('staging'), []);
      assert.deepEqual(await queue.take('production', 'd2'), next);
      assert.deepEqual(await queue.claimants('production'), ['d1', 'd2']);
    }));

  it('take with nothing pending is undefined and takes nothing', () =>
    withQueue(factory, async ({ queue }) => {
      await queue.submit(entry('a', '2026-11-27T10:00:00.000Z', { environment: 'staging' }));
      assert.equal(await queue.take('production', 'd1'), undefined);
      assert.deepEqual(await queue.claimants('production'), []);
      assert.deepEqual(idsOf(await queue.window('staging')), ['a']);
    }));

  it('unclaim gives a deploy’s entries back, in their places; the queue no longer names it', () =>
    withQueue(factory, async ({ queue }) => {
      await queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      await queue.submit(entry('b', '2026-11-27T10:00:30.000Z'));
      const before = await queue.window('production');
      assert.deepEqual(await queue.take('production', 'd1'), before);
      assert.equal(await queue.window('production'), undefined);
      await queue.unclaim('d1');
      assert.deepEqual(await queue.window('production'), before);
      assert.deepEqual(await queue.claimants('production'), []);
      await queue.unclaim('d1');
    }));

  it('a taken changeset may be submitted again; claims survive a reopen', () =>
    withQueue(factory, async (h) => {
      const a = await h.queue.submit(entry('a', '2026-11-27T10:00:00.000Z'));
      await h.queue.take('production', 'd1');
      const again = await h.queue.submit(entry('a', '2026-11-27T10:05:00.000Z'));
      assert.notEqual(again.entry.id, a.entry.id);
      const queue = await h.reopen();
      assert.deepEqual(await queue.claimants('production'), ['d1']);
      assert.deepEqual(await queue.window('production'), again.window);
    }));

  it('takers racing on one store: each entry is taken exactly once, each take a window in submission order', () =>
    withQueue(factory, async (h) => {
      // Twenty one-second windows, one changeset each, a second apart: twenty trains.
      for (let i = 0; i < 20; i++)
        await h.queue.submit(
          entry(`c${i}`, new Date(Date.UTC(2026, 10, 27, 10, 0, i)).toISOString(), { windowMs: 1000 }),
        );
      const takers = [h.queue, h.open(), h.open(), h.open()];
      const taken: QueueWindow[][] = await Promise.all(
        takers.map(async (queue, t) => {
          const mine: QueueWindow[] = [];
          for (let n = 0; ; n++) {
            const window = await queue.take('production', `d-${t}-${n}`);
            if (!window) return mine;
            mine.push(window);
          }
        }),
      );
      const ids = taken.flat().flatMap((w) => w.entries.map((e) => e.id));
      assert.equal(new Set(ids).size, ids.length, 'no entry taken twice');
      assert.deepEqual(
        taken
          .flat()
          .flatMap((w) => idsOf(w)!)
          .sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))),
        Array.from({ length: 20 }, (_, i) => `c${i}`),
        'every entry taken',
      );
      for (const mine of taken) {
        const order = mine.flatMap((w) => w.entries.map((e) => e.id));
        assert.deepEqual(
          order,
          [...order].sort((x, y) => x - y),
          'each taker in submission order',
        );
      }
      assert.equal(await h.queue.window('production'), undefined);
    }));
}
