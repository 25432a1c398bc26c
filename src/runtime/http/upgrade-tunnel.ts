import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Backend } from './backend.js';
import { BAD_GATEWAY_ANSWER } from './http1/front-answers.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);

/**
 * Proxies a request with `Connection: upgrade` (a WebSocket handshake, or h2c): the head goes to
 * the version with x-forwarded-* added, and node:http parses its answer. On `101` the two sockets
 * are joined and bytes flow both ways untouched until either side closes. Any other answer is
 * relayed and the client's connection closed: the bytes the client sent after its handshake
 * were meant for the new protocol and are never read as HTTP. The tunnel counts as a request in
 * flight on its version, so retiring the version waits for it up to its drain timeout.
 */
export function tunnelUpgrade(req: IncomingMessage, client: Socket, early: Buffer, backend: Backend): void {
  backend.inflight++;
  let open = true;
  let answered = false;
  // After a 101 node:http detaches the socket from the request: destroying the request alone
  // would leave the version's end of the tunnel open.
  let joined: Socket | null = null;
  const done = (): void => {
    if (!open) return;
    open = false;
    backend.inflight--;
    client.destroy();
    upstream.destroy();
    joined?.destroy();
  };
  const upstream = request({
    host: backend.host,
    port: backend.port,
    method: req.method,
    path: req.url,
    headers: forwardedHeaders(req),
    setHost: false,
    agent: false,
  });
  upstream.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
    answered = true;
    joined = socket;
    socket.on('error', done).once('close', done);
    socket.setNoDelay(true);
    client.write(headOf(res, [], res.statusCode ?? 101), 'latin1');
    if (head.length > 0) client.write(head);
    if (early.length > 0) socket.write(early);
    client.pipe(socket).pipe(client);
  });
  upstream.on('response', (res: IncomingMessage) => {
    answered = true;
    client.write(headOf(res, ['connection: close'], res.statusCode ?? 502), 'latin1');
    // Once the answer is flushed (the pipe ends the client's side), the connection is over.
    client.once('finish', done);
    res.pipe(client);
  });
  upstream.on('error', () => {
    if (!open) return;
    if (answered || !client.writable) return done();
    backend.proxyErrors++;
    client.once('finish', done);
    client.end(BAD_GATEWAY_ANSWER);
  });
  client.once('close', done);
  upstream.end();
}

/** The client's headers as it sent them, x-forwarded-for extended and x-forwarded-proto added. */
function forwardedHeaders(req: IncomingMessage): string[] {
  const out: string[] = [];
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
    out.push(name, raw[i + 1] as string);
  }
  const address = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', forwardedFor === null ? address : `${forwardedFor}, ${address}`);
  if (!proto) out.push('x-forwarded-proto', 'http');
  return out;
}

/** The version's status line and headers for the client; a non-101 answer loses its framing (the body then runs until close). */
function headOf(res: IncomingMessage, extra: string[], status: number): string {
  let head = `HTTP/1.1 ${status} ${res.statusMessage ?? ''}\r\n`;
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (status !== 101 && HOP_BY_HOP.has(name.toLowerCase())) continue;
    head += `${name}: ${raw[i + 1]}\r\n`;
  }
  for (const line of extra) head += `${line}\r\n`;
  return `${head}\r\n`;
}
