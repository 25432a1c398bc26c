import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** set once the receiver has answered it */
  answered?: number;
}

/** What the receiver answers the nth request (from 0): a status, or `hang` to hold it open. */
export type Answer = (index: number) => number | 'hang';

/**
 * A real webhook receiver: node:http on 127.0.0.1 and a random port, recording every request
 * with its raw body. Requests it is told to hang stay open until `release`; `close` ends it
 * (and them).
 */
export async function startReceiver(answer: Answer = () => 200) {
  const received: ReceivedWebhook[] = [];
  const held: { hook: ReceivedWebhook; res: ServerResponse }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hook: ReceivedWebhook = { headers: req.headers, body, json: JSON.parse(body) };
      const index = received.push(hook) - 1;
      const status = answer(index);
      if (status === 'hang') return void held.push({ hook, res });
      hook.answered = status;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cutover`,
    received,
    /** answers every held request with `status` */
    release(status = 200) {
      for (const { hook, res } of held.splice(0)) {
        hook.answered = status;
        res.writeHead(status).end();
      }
    },
    close,
  };
}

/**
 * The README's verification, written here from the documented scheme rather than imported from
 * cutover: `X-Cutover-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`.
 */
export function signatureVerifies(secret: string, hook: ReceivedWebhook, toleranceSeconds = 300): boolean {
  const header = String(hook.headers['x-cutover-signature'] ?? '');
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2)));
  const t = Number(fields.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${fields.t}.${hook.body}`).digest();
  const given = Buffer.from(String(fields.v1 ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A fingerprint of a body, to compare retries without printing bodies in assertion messages. */
export function bodyHash(hook: ReceivedWebhook): string {
  return createHash('sha256').update(hook.body).digest('hex');
}
