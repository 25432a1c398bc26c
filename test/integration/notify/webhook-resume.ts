import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveryId } from '../../../src/executor/notify/notify-context.js';
import { startNotifier } from '../../../src/executor/notify/notifier.js';
import { flushNotifications, registerTargets } from '../../../src/executor/notify/flush-notifications.js';
import { requested } from '../../support/events.js';
import type { NotifyStoresFactory } from '../../support/notify-stores.js';
import { waitUntil } from '../../support/wait-until.js';
import { context, FAILED, journalDeploy, SECRET, withStores } from './delivery-harness.js';

/** A notifier that died half-way, and the long-running notifier a server starts. */
export function describeWebhookResume(factory: NotifyStoresFactory): void {
  test('a delivery a dead notifier left half-way goes on at its next attempt, same id; a final one is not sent again', () =>
    withStores(
      factory,
      () => 200,
      async (s, receiver) => {
        const target = { url: receiver.url, events: ['DEPLOY_FAILED'], secret: SECRET };
        await registerTargets(s.store, s.feed, [target]);
        const [, first] = await journalDeploy(s, 'd1', [requested(), FAILED]);
        const [, second] = await journalDeploy(s, 'd2', [requested(), FAILED]);
        // What a notifier killed during its backoff leaves: attempts recorded, the cursor before them.
        const dead = { url: receiver.url, deploy_id: 'd1', event: 'DEPLOY_FAILED', status: 500 };
        const at = new Date().toISOString();
        for (const attempt of [1, 2])
          await s.store.recordAttempt({
            ...dead,
            delivery_id: deliveryId(receiver.url, first!),
            journal_id: first!,
            attempt,
            at,
            error: 'HTTP 500',
            outcome: 'retry',
          });
        const done = {
          ...dead,
          deploy_id: 'd2',
          delivery_id: deliveryId(receiver.url, second!),
          journal_id: second!,
        };
        await s.store.recordAttempt({
          ...done,
          attempt: 1,
          at,
          status: 200,
          error: null,
          outcome: 'delivered',
        });

        const ctx = context(s, [target]);
        await flushNotifications(ctx);
        await ctx.sender.dispose?.();
        assert.deepEqual(
          receiver.received.map((h) => [h.json.deploy_id, h.headers['x-cutover-delivery']]),
          [['d1', deliveryId(receiver.url, first!)]],
        );
        assert.deepEqual(
          (await s.store.deliveries()).map((d) => [d.deploy_id, d.outcome, d.attempts.map((a) => a.attempt)]),
          [
            ['d1', 'delivered', [1, 2, 3]],
            ['d2', 'delivered', [1]],
          ],
        );
      },
    ));

  test('startNotifier delivers what is appended while it runs, when woken, and stops', () =>
    withStores(
      factory,
      () => 200,
      async (s, receiver) => {
        const target = { url: receiver.url, events: ['DEPLOY_FAILED'], secret: SECRET };
        const ctx = context(s, [target]);
        const notifier = startNotifier(ctx, { intervalMs: 60_000 });
        await waitUntil(async () => (await s.store.targets()).length === 1, 'the URL to be registered');
        await journalDeploy(s, 'live', [requested(), FAILED]);
        notifier.wake();
        await waitUntil(() => receiver.received.length === 1, 'the delivery');
        await notifier.stop();
        await ctx.sender.dispose?.();
        assert.equal(receiver.received[0]!.json.deploy_id, 'live');
        assert.equal((await s.store.targets())[0]!.holder, null);
      },
    ));
}
