import { undiciWebhookSender } from '../../../src/adapters/notify/undici-webhook-sender.js';
import type { DeployEvent } from '../../../src/core/events.js';
import type { NotifyContext, NotifyTarget } from '../../../src/executor/notify/notify-context.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { NotifyStores, NotifyStoresFactory } from '../../support/notify-stores.js';
import { startReceiver, type Answer } from '../../support/webhook-receiver.js';

/** What the webhook delivery tests share: stores, a receiver, a notifier's context. */
export const SECRET = 'whsec-test-0123456789abcdef';
export const FAILED: DeployEvent = {
  type: 'DEPLOY_FAILED',
  failed_step: 'APPLY',
  rolled_back: true,
  code: 'E_HEALTH_TIMEOUT',
  reason: 'not healthy within 30s',
};

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Fresh stores and a receiver answering `answer`, both ended however the test ends. */
export async function withStores(
  factory: NotifyStoresFactory,
  answer: Answer,
  body: (s: NotifyStores, receiver: Receiver) => Promise<void>,
) {
  const stores = await factory();
  const receiver = await startReceiver(answer);
  try {
    await body(stores, receiver);
  } finally {
    await receiver.close();
    await stores.cleanup();
  }
}

/** Appends a deploy's events; returns their journal positions. */
export async function journalDeploy(s: NotifyStores, id: string, events: DeployEvent[]) {
  const rows = [];
  for (const [i, e] of events.entries()) rows.push(await s.journal.append(id, i, new Date(), e));
  return rows.map((r) => r.id);
}

export function context(s: NotifyStores, targets: NotifyTarget[], holder = 'test-notifier'): NotifyContext {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return { ...s, sender: undiciWebhookSender(), targets, clock: systemClock, sleep, holder };
}
