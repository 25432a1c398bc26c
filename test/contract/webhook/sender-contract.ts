import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { WebhookRequest, WebhookSender } from '../../../src/ports/webhook.js';
import { freePort } from '../../support/ports.js';
import { signatureVerifies, startReceiver, type Answer } from '../../support/webhook-receiver.js';

const SECRET = 'whsec-contract-7d0e4b1a9c';

function request(url: string, more: Partial<WebhookRequest> = {}): WebhookRequest {
  return {
    url,
    body: JSON.stringify({ id: 'd-1', type: 'DEPLOY_FAILED', text: 'cutover: …' }),
    deliveryId: 'd-1',
    event: 'DEPLOY_FAILED',
    secret: SECRET,
    timeoutMs: 5_000,
    ...more,
  };
}

async function withReceiver(
  answer: Answer,
  body: (r: Awaited<ReturnType<typeof startReceiver>>) => Promise<void>,
) {
  const receiver = await startReceiver(answer);
  try {
    await body(receiver);
  } finally {
    receiver.release(200);
    await receiver.close();
  }
}

/**
 * The behaviour every WebhookSender must have (ports/webhook.ts), against a real receiver: one
 * signed POST with the documented headers, the status as answered (a redirect not followed), and
 * never a throw: a refused connection and a receiver that holds the request are reported, the
 * latter once `timeoutMs` has passed (the test passes a short one; it measures nothing).
 *
 * @example describeSenderContract('undici', () => undiciWebhookSender());
 */
export function describeSenderContract(name: string, create: () => WebhookSender): void {
  describe(`WebhookSender contract: ${name}`, () => {
    test('one POST, signed, with the delivery and event headers; the status as answered', () =>
      withReceiver(
        () => 202,
        async (receiver) => {
          const sender = create();
          assert.deepEqual(await sender.send(request(receiver.url)), { status: 202 });
          await sender.dispose?.();
          const [hook, ...more] = receiver.received;
          assert.equal(more.length, 0);
          assert.equal(hook!.headers['content-type'], 'application/json');
          assert.equal(hook!.headers['x-cutover-delivery'], 'd-1');
          assert.equal(hook!.headers['x-cutover-event'], 'DEPLOY_FAILED');
          assert.equal(hook!.body, request(receiver.url).body);
          assert.ok(signatureVerifies(SECRET, hook!));
          assert.ok(!JSON.stringify(hook!.headers).includes(SECRET), 'the key itself is never sent');
        },
      ));

    test('a redirect is reported, not followed; a 500 is reported', () =>
      withReceiver(
        (i) => (i === 0 ? 301 : 500),
        async (receiver) => {
          const sender = create();
          assert.deepEqual(await sender.send(request(receiver.url)), { status: 301 });
          assert.deepEqual(await sender.send(request(receiver.url)), { status: 500 });
          await sender.dispose?.();
          assert.equal(receiver.received.length, 2);
        },
      ));

    test('a receiver holding the request open is a timeout; a closed port is the network error', () =>
      withReceiver(
        () => 'hang',
        async (receiver) => {
          const sender = create();
          assert.deepEqual(await sender.send(request(receiver.url, { timeoutMs: 300 })), {
            error: 'timed out after 300 ms',
          });
          assert.equal(receiver.received.length, 1);
          const closed = `http://127.0.0.1:${await freePort()}/hook`;
          assert.deepEqual(await sender.send(request(closed)), { error: 'ECONNREFUSED' });
          await sender.dispose?.();
        },
      ));

    test('a peer that accepts and then resets the connection is a network error', async () => {
      const server = createServer((socket) => socket.resetAndDestroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      try {
        const sender = create();
        const response = await sender.send(request(`http://127.0.0.1:${port}/hook`));
        await sender.dispose?.();
        assert.ok(
          'error' in response && /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/.test(response.error),
          JSON.stringify(response),
        );
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
}
