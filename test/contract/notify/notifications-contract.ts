import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryAttempt } from '../../../src/ports/notifications.js';
import { happyPath, requested } from '../../support/events.js';
import type { NotifyStores, NotifyStoresFactory } from '../../support/notify-stores.js';

const URL_A = 'http://127.0.0.1:9/a';
const T0 = new Date('2026-11-29T07:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

async function withStores(factory: NotifyStoresFactory, body: (s: NotifyStores) => Promise<void>) {
  const stores = await factory();
  try {
    await body(stores);
  } finally {
    await stores.cleanup();
  }
}

function attempt(
  n: number,
  outcome: DeliveryAttempt['outcome'],
  more: Partial<DeliveryAttempt> = {},
): DeliveryAttempt {
  return {
    delivery_id: 'd-1',
    url: URL_A,
    journal_id: 3,
    deploy_id: 'deploy-1',
    event: 'DEPLOY_FAILED',
    attempt: n,
    at: later(n * 1000).toISOString(),
    status: outcome === 'delivered' ? 200 : 500,
    error: outcome === 'delivered' ? null : 'HTTP 500',
    outcome,
    ...more,
  };
}

/**
 * The behaviour every NotificationStore and JournalFeed must have (ports/notifications.ts):
 * cursors registered once, one lease holder at a time across stores, cursor moves by the holder
 * only and never backwards, attempts recorded and folded into deliveries, the journal by position.
 *
 * @example describeNotificationsContract('sqlite', sqliteNotifyStores);
 */
export function describeNotificationsContract(name: string, factory: NotifyStoresFactory): void {
  describe(`Notifications contract: ${name}`, () => {
    test('a URL is registered once: a second register keeps its cursor', () =>
      withStores(factory, async ({ store }) => {
        await store.register(URL_A, 5);
        await store.register(URL_A, 9);
        assert.deepEqual(
          (await store.targets()).map((t) => [t.url, t.cursor, t.holder]),
          [[URL_A, 5, null]],
        );
      }));

    test('one holder at a time, across stores; an expired lease can be taken', () =>
      withStores(factory, async ({ store, another }) => {
        const other = another();
        await store.register(URL_A, 0);
        assert.equal(await store.claim(URL_A, 'one', T0, 60_000), 0);
        assert.equal(await other.claim(URL_A, 'two', later(1_000), 60_000), undefined);
        assert.equal(await store.claim(URL_A, 'one', later(2_000), 60_000), 0, 'its holder renews it');
        assert.equal(await other.claim(URL_A, 'two', later(62_001), 60_000), 0, 'taken once expired');
        assert.equal(await store.advance(URL_A, 'one', 4), false, 'the old holder moves nothing');
        await store.release(URL_A, 'one');
        assert.equal((await other.targets())[0]!.holder, 'two', 'a release by another holder is a no-op');
        await other.release(URL_A, 'two');
        assert.equal(await store.claim(URL_A, 'one', later(63_000), 60_000), 0, 'free after release');
      }));

    test('the holder moves the cursor forward, never back', () =>
      withStores(factory, async ({ store }) => {
        await store.register(URL_A, 2);
        await store.claim(URL_A, 'one', T0, 60_000);
        assert.equal(await store.advance(URL_A, 'one', 7), true);
        assert.equal(await store.advance(URL_A, 'one', 3), true);
        assert.equal((await store.targets())[0]!.cursor, 7);
        await store.release(URL_A, 'one');
        assert.equal(await store.claim(URL_A, 'two', T0, 60_000), 7);
      }));

    test('attempts are recorded and folded into deliveries; progress resumes the count', () =>
      withStores(factory, async ({ store }) => {
        assert.deepEqual(await store.progress('d-1'), { attempts: 0, final: false });
        await store.recordAttempt(attempt(1, 'retry'));
        await store.recordAttempt(attempt(2, 'retry', { status: null, error: 'ECONNREFUSED' }));
        assert.deepEqual(await store.progress('d-1'), { attempts: 2, final: false });
        assert.equal((await store.deliveries())[0]!.outcome, 'pending');
        await store.recordAttempt(attempt(3, 'delivered'));
        await store.recordAttempt(
          attempt(1, 'failed', { delivery_id: 'd-2', deploy_id: 'deploy-2', journal_id: 4 }),
        );
        assert.deepEqual(await store.progress('d-1'), { attempts: 3, final: true });
        const all = await store.deliveries();
        assert.deepEqual(
          all.map((d) => [d.delivery_id, d.outcome, d.attempts.length]),
          [
            ['d-1', 'delivered', 3],
            ['d-2', 'failed', 1],
          ],
        );
        assert.deepEqual(all[0]!.attempts[1], {
          attempt: 2,
          at: later(2000).toISOString(),
          status: null,
          error: 'ECONNREFUSED',
          outcome: 'retry',
        });
        const one = await store.deliveries({ deployId: 'deploy-2' });
        assert.deepEqual(
          one.map((d) => d.delivery_id),
          ['d-2'],
        );
      }));

    test('the feed reads the journal by position, and each deploy’s request', () =>
      withStores(factory, async ({ journal, feed }) => {
        assert.equal(await feed.head(), 0);
        const events = happyPath().slice(0, 4);
        for (const [i, e] of events.entries()) await journal.append('deploy-1', i, later(i), e);
        await journal.append('deploy-2', 0, later(9), requested('manual'));
        assert.equal(await feed.head(), 5);
        const rows = await feed.after(1, 2);
        assert.deepEqual(
          rows.map((r) => [r.id, r.deploy_id, r.seq, r.event.type]),
          [
            [2, 'deploy-1', 2, 'PREFLIGHT_START'],
            [3, 'deploy-1', 3, 'PREFLIGHT_PASSED'],
          ],
        );
        assert.equal((await feed.request('deploy-2'))?.strategy.mode, 'manual');
        assert.equal(await feed.request('nobody'), undefined);
        assert.deepEqual(await feed.after(5, 10), []);
      }));
  });
}
