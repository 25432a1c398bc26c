import { lazyRequire } from '../../lib/lazy-require.js';
import type { WebhookSender } from '../../ports/webhook.js';
import { signatureHeader } from './webhook-signature.js';

const undici = lazyRequire<typeof import('undici')>('undici');

const USER_AGENT = 'cutover-webhook/0.1';

/**
 * Webhook deliveries over undici, one connection pool for a notifier's life. The timeout is one
 * AbortSignal for the whole exchange (connect, status line, headers): a receiver that accepts
 * the connection and never answers costs `timeoutMs`, no more. The response body is discarded
 * unread beyond its status, so what a receiver answers never reaches a record or a log.
 */
export function undiciWebhookSender(): WebhookSender {
  const agent = new (undici().Agent)({ connections: 4, keepAliveTimeout: 4_000 });
  return {
    name: 'undici',
    async send({ url, body, deliveryId, event, secret, timeoutMs }) {
      const t = Math.floor(Date.now() / 1000);
      try {
        const response = await undici().request(url, {
          method: 'POST',
          dispatcher: agent,
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'x-cutover-delivery': deliveryId,
            'x-cutover-event': event,
            'x-cutover-signature': signatureHeader(secret, t, body),
          },
          maxRedirections: 0,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body.dump().catch(() => undefined);
        return { status: response.statusCode };
      } catch (err) {
        return { error: describe(err, timeoutMs) };
      }
    },
    async dispose() {
      await agent.close();
    },
  };
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  return e.code ?? e.cause?.code ?? (err instanceof Error ? err.name : 'request failed');
}
