import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flushNotifications, registerTargets } from '../../../src/executor/notify/flush-notifications.js';
import { requested } from '../../support/events.js';
import type { NotifyStoresFactory } from '../../support/notify-stores.js';
import { bodyHash, signatureVerifies } from '../../support/webhook-receiver.js';
import { context, FAILED, journalDeploy, SECRET, withStores } from './delivery-harness.js';

/**
 * Deliveries through the real sender to a real receiver, on a journal and store of one kind.
 * The retries wait the product's own backoff (1 s, then 2 s).
 */
export function describeWebhookDelivery(factory: NotifyStoresFactory): void {
  test('a receiver answering 500 twice then 200 gets the event once, signed, after 3 recorded attempts', () =>
    withStores(
      factory,
      (i) => (i < 2 ? 500 : 200),
      async (s, receiver) => {
        const target = { url: receiver.url, events: ['DEPLOY_FAILED'], secret: SECRET };
        await registerTargets(s.store, s.feed, [target]);
        const [, failedAt] = await journalDeploy(s, 'deploy-1', [requested(), FAILED]);
        const ctx = context(s, [target]);
        await flushNotifications(ctx);
        await ctx.sender.dispose?.();

        assert.equal(receiver.received.length, 3);
        const ids = new Set(receiver.received.map((h) => h.headers['x-cutover-delivery']));
        assert.equal(ids.size, 1, 'one delivery id for every attempt');
        assert.equal(new Set(receiver.received.map(bodyHash)).size, 1, 'the same body every time');
        for (const hook of receiver.received) {
          assert.ok(signatureVerifies(SECRET, hook), 'signature verifies with the key');
          assert.ok(!signatureVerifies('another-key-0123456789', hook), 'and not with another');
        }
        const hook = receiver.received[2]!;
        assert.equal(hook.headers['x-cutover-event'], 'DEPLOY_FAILED');
        assert.equal(hook.json.id, hook.headers['x-cutover-delivery']);
        assert.equal(hook.json.deploy_id, 'deploy-1');
        assert.equal(hook.json.environment, 'production');
        assert.equal(hook.json.position, failedAt);
        assert.equal(hook.json.data.reason, 'not healthy within 30s');
        assert.equal(
          hook.json.text,
          'cutover: deploy deploy-1 (api-orders 2.4.0-abc1234-20260224) to production FAILED at APPLY: not healthy within 30s (rolled back)',
        );

        const [delivery, ...more] = await s.store.deliveries();
        assert.equal(more.length, 0);
        assert.equal(delivery!.delivery_id, hook.json.id);
        assert.equal(delivery!.outcome, 'delivered');
        assert.deepEqual(
          delivery!.attempts.map((a) => [a.attempt, a.status, a.outcome]),
          [
            [1, 500, 'retry'],
            [2, 500, 'retry'],
            [3, 200, 'delivered'],
          ],
        );
        assert.equal((await s.store.targets())[0]!.cursor, failedAt);
        assert.equal((await s.store.targets())[0]!.holder, null, 'the lease is released');
      },
    ));

  test('only subscribed events, environments and the derived AWAITING_APPROVAL are sent; a 4xx is final', () =>
    withStores(
      factory,
      (i) => (i === 0 ? 404 : 200),
      async (s, receiver) => {
        const approvals = { url: `${receiver.url}?approvals`, events: ['AWAITING_APPROVAL'], secret: SECRET };
        const staging = {
          url: `${receiver.url}?staging`,
          events: ['DEPLOY_FAILED'],
          environments: ['staging'],
          secret: SECRET,
        };
        await registerTargets(s.store, s.feed, [approvals, staging]);
        await journalDeploy(s, 'deploy-1', [requested('fast-track'), FAILED]);
        await journalDeploy(s, 'deploy-2', [requested('manual'), { type: 'DEPLOY_SUCCEEDED' }]);
        await journalDeploy(s, 'deploy-3', [requested('manual'), { type: 'DEPLOY_SUCCEEDED' }]);
        const ctx = context(s, [approvals, staging]);
        await flushNotifications(ctx);
        await ctx.sender.dispose?.();

        assert.deepEqual(
          receiver.received.map((h) => [h.headers['x-cutover-event'], h.json.deploy_id, h.answered]),
          [
            ['AWAITING_APPROVAL', 'deploy-2', 404],
            ['AWAITING_APPROVAL', 'deploy-3', 200],
          ],
        );
        assert.match(receiver.received[1]!.json.text, /AWAITS APPROVAL, live on staging$/);
        assert.deepEqual(
          (await s.store.deliveries()).map((d) => [d.deploy_id, d.outcome, d.attempts.length]),
          [
            ['deploy-2', 'failed', 1],
            ['deploy-3', 'delivered', 1],
          ],
        );
        const head = await s.feed.head();
        assert.deepEqual(
          (await s.store.targets()).map((t) => t.cursor),
          [head, head],
          'both caught up',
        );
      },
    ));

  test('two notifiers flushing at once deliver each event once; a URL registered later skips history', () =>
    withStores(
      factory,
      () => 200,
      async (s, receiver) => {
        const target = { url: receiver.url, events: ['DEPLOY_FAILED', 'DEPLOY_SUCCEEDED'], secret: SECRET };
        await journalDeploy(s, 'old', [requested(), FAILED]);
        await registerTargets(s.store, s.feed, [target]);
        for (const id of ['a', 'b', 'c'])
          await journalDeploy(s, id, [requested(), { type: 'DEPLOY_SUCCEEDED' }]);
        const one = context(s, [target], 'one');
        const two = { ...context(s, [target], 'two'), store: s.another() };
        await Promise.all([flushNotifications(one), flushNotifications(two)]);
        await one.sender.dispose?.();
        await two.sender.dispose?.();
        assert.deepEqual(
          receiver.received.map((h) => h.json.deploy_id),
          ['a', 'b', 'c'],
        );
      },
    ));
}
