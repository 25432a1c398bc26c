import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Backend } from './backend.js';
import { BAD_GATEWAY_ANSWER } from './http1/front-answers.js';

/**
 * Proxies a request with `Connection: upgrade` (a WebSocket handshake, or h2c) as a tunnel: the
 * head goes to the version as the client sent it, with x-forwarded-* added, and from then on
 * bytes flow both ways untouched until either side closes. Whether the upgrade happens is the
 * version's answer (101, or anything else, relayed as it comes). The tunnel counts as a request
 * in flight on its version, so retiring the version waits for it up to its drain timeout.
 */
export function tunnelUpgrade(req: IncomingMessage, client: Socket, early: Buffer, backend: Backend): void {
  backend.inflight++;
  let open = true;
  const upstream = connect(backend.port, backend.host);
  const done = (): void => {
    if (!open) return;
    open = false;
    backend.inflight--;
    client.destroy();
    upstream.destroy();
  };
  upstream.setNoDelay(true);
  upstream.once('connect', () => {
    upstream.write(upgradeHead(req), 'latin1');
    if (early.length > 0) upstream.write(early);
    client.pipe(upstream).pipe(client);
  });
  upstream.once('error', () => {
    if (upstream.bytesRead === 0 && client.writable) {
      backend.proxyErrors++;
      client.end(BAD_GATEWAY_ANSWER);
    }
  });
  upstream.once('close', done);
  client.once('close', done);
  client.on('error', done);
}

function upgradeHead(req: IncomingMessage): string {
  let head = `${req.method} ${req.url} HTTP/1.1\r\n`;
  const raw = req.rawHeaders;
  let forwardedFor: string | null = null;
  let proto = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === null ? (raw[i + 1] as string) : `${forwardedFor}, ${raw[i + 1]}`;
      continue;
    }
    if (lower === 'x-forwarded-proto') proto = true;
    head += `${name}: ${raw[i + 1]}\r\n`;
  }
  const client = req.socket.remoteAddress ?? '';
  head += `x-forwarded-for: ${forwardedFor === null ? client : `${forwardedFor}, ${client}`}\r\n`;
  if (!proto) head += 'x-forwarded-proto: http\r\n';
  return `${head}\r\n`;
}
