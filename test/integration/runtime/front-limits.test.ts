import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Backend } from '../../../src/runtime/http/backend.js';
import { Router } from '../../../src/runtime/http/router.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { exchangeRaw, statusesOf } from '../../support/raw-http.js';

/** A version that records the order requests reach it; `/slow` answers after 300 ms; echoes upgrades. */
async function startOrderedVersion(
  name: string,
): Promise<{ server: Server; port: number; arrivals: IncomingMessage[] }> {
  const arrivals: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    arrivals.push(req);
    const answer = (): void => {
      const text = `${name} ${req.url} host=${JSON.stringify(req.headers.host)}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    req.resume();
    req.on('end', () => (req.url === '/slow' ? setTimeout(answer, 300) : answer()));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, early: Buffer) => {
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`,
    );
    socket.write(`${name}:`);
    if (early.length > 0) socket.write(early);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, arrivals };
}

/** Writes `parts` one by one, `gapMs` apart; resolves with what came back and how many parts were sent before the close. */
function trickle(port: number, parts: string[], gapMs: number): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < parts.length && !socket.destroyed) socket.write(Buffer.from(parts[i++] as string, 'latin1'));
    }, gapMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, sent: i });
    });
  });
}

describe('router limits, upgrades and the node:http path', () => {
  const router = new Router('production');
  let a: Awaited<ReturnType<typeof startOrderedVersion>>;
  let b: Awaited<ReturnType<typeof startOrderedVersion>>;
  const backends: Backend[] = [];

  before(async () => {
    a = await startOrderedVersion('a');
    b = await startOrderedVersion('b');
    backends.push(new Backend('sha256:a', a.port), new Backend('sha256:b', b.port));
    router.setTable(
      buildRoutingTable('x-user-id', 'g', [
        { backend: backends[1] as Backend, weight: 50, healthy: true },
        { backend: backends[0] as Backend, weight: 50, healthy: true },
      ]),
    );
    router.setLimits({ header_timeout_ms: 1000, body_idle_timeout_ms: 1000, max_connections: 1000 });
    await router.listen(0);
  });
  after(async () => {
    await router.close();
    for (const backend of backends) backend.dispose();
    a.server.close();
    b.server.close();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
  });

  test('a head sent a byte at a time gets 408 after header_timeout, on the fast path', async () => {
    const before = router.counters.header_timeouts;
    const result = await trickle(
      router.port,
      'GET / HTTP/1.1\r\nHost: shop\r\nX-Slow: 1234567890'.split(''),
      200,
    );
    assert.deepEqual(statusesOf(result.text), [408], result.text);
    assert.ok(
      result.sent < 46,
      `the head was cut off before it was complete (${result.sent} of 46 bytes sent)`,
    );
    assert.ok(router.counters.header_timeouts >= before + 1);
  });

  test('a keep-alive head that trickles on the node:http path gets 408 too', async () => {
    const before = router.counters.header_timeouts;
    const parts = [
      'GET / HTTP/1.0\r\nConnection: keep-alive\r\nX-User-Id: u1\r\n\r\n',
      ...'GET / HTTP/1.0\r\nX-Slow: 12345678901234567890'.split(''),
    ];
    const result = await trickle(router.port, parts, 200);
    assert.deepEqual(statusesOf(result.text), [200, 408], result.text);
    assert.equal(router.counters.header_timeouts, before + 1);
  });

  test('a request body that stops arriving gets 408 after body_idle_timeout, on both paths', async () => {
    const before = router.counters.body_timeouts;
    for (const version of ['1.1', '1.0']) {
      const result = await trickle(
        router.port,
        [`POST /upload HTTP/${version}\r\nHost: shop\r\nContent-Length: 10\r\n\r\nabc`],
        50,
      );
      assert.deepEqual(statusesOf(result.text), [408], `HTTP/${version}: ${result.text}`);
    }
    assert.equal(router.counters.body_timeouts, before + 2);
  });

  test('connections over max_connections get 503 at once and are counted', async () => {
    router.setLimits({ header_timeout_ms: 1000, body_idle_timeout_ms: 1000, max_connections: 3 });
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(router.port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        held.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = router.counters.over_capacity;
      const answer = await exchangeRaw(router.port, 'GET / HTTP/1.1\r\nHost: shop\r\n\r\n');
      assert.deepEqual(statusesOf(answer), [503], answer);
      assert.match(answer, /E_OVER_CAPACITY/);
      assert.equal(router.counters.over_capacity, before + 1);
    } finally {
      for (const socket of held) socket.destroy();
      router.setLimits({ header_timeout_ms: 1000, body_idle_timeout_ms: 1000, max_connections: 1000 });
    }
  });

  test('pipelined HTTP/1.0 keep-alive requests reach the version in the order sent', async () => {
    a.arrivals.length = 0;
    const pipelined = ['/slow', '/2', '/3']
      .map((path) => `GET ${path} HTTP/1.0\r\nConnection: keep-alive\r\nX-User-Id: same-user\r\n\r\n`)
      .join('');
    const version = (
      await exchangeRaw(router.port, `${pipelined}GET /4 HTTP/1.0\r\nX-User-Id: same-user\r\n\r\n`)
    ).match(/\r\n\r\n(a|b) /)?.[1];
    const arrivals = (version === 'a' ? a : b).arrivals.map((r) => r.url);
    assert.deepEqual(arrivals.slice(-4), ['/slow', '/2', '/3', '/4']);
  });

  test('a repeated x-user-id routes by its first value on both paths', async () => {
    const versionOf = async (raw: string): Promise<string | undefined> =>
      (await exchangeRaw(router.port, raw)).match(/\r\n\r\n(a|b) /)?.[1];
    let both = 0;
    for (let i = 0; i < 20; i++) {
      const single = await versionOf(
        `GET / HTTP/1.1\r\nHost: s\r\nX-User-Id: user-${i}\r\nConnection: close\r\n\r\n`,
      );
      const fast = await versionOf(
        `GET / HTTP/1.1\r\nHost: s\r\nX-User-Id: user-${i}\r\nX-User-Id: other\r\nConnection: close\r\n\r\n`,
      );
      const slow = await versionOf(`GET / HTTP/1.0\r\nX-User-Id: user-${i}\r\nX-User-Id: other\r\n\r\n`);
      assert.equal(fast, single, `user-${i} on the fast path`);
      assert.equal(slow, single, `user-${i} on the node:http path`);
      if (single === 'a') both++;
    }
    assert.ok(both > 0 && both < 20, 'the 50/50 split put users on both versions');
  });

  test('an HTTP/1.0 request without Host reaches the version with an empty Host, not an invented one', async () => {
    const answer = await exchangeRaw(router.port, 'GET /no-host HTTP/1.0\r\nX-User-Id: u\r\n\r\n');
    assert.match(answer, /\/no-host host=""$/);
  });

  test('a WebSocket upgrade is tunnelled to the sticky version and bytes flow both ways', async () => {
    const before = router.counters.upgrades;
    const socket = connect(router.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.write(
      'GET /chat HTTP/1.1\r\nHost: shop\r\nX-User-Id: user-3\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\nearly',
    );
    for (let i = 0; i < 100 && !text.includes('early'); i++) await new Promise((r) => setTimeout(r, 20));
    socket.write('ping');
    for (let i = 0; i < 100 && !text.endsWith('ping'); i++) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\n(a|b):earlyping$/);
    assert.equal(router.counters.upgrades, before + 1);
    const inflight = () => (backends[0] as Backend).inflight + (backends[1] as Backend).inflight;
    for (let i = 0; i < 50 && inflight() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(inflight(), 0, 'the tunnel left no request in flight');
  });

  test('CONNECT is refused with 405', async () => {
    const answer = await exchangeRaw(
      router.port,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    assert.deepEqual(statusesOf(answer), [405]);
  });
});
