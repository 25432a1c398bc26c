import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Backend } from '../../../src/runtime/http/backend.js';
import { Router } from '../../../src/runtime/http/router.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { exchangeRaw, statusesOf } from '../../support/raw-http.js';

/** Resolves once `check` holds, polling; fails after `ms` (a bound for a hang, not a timing claim). */
async function eventually(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) assert.fail(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/**
 * A version that records what reached it: `/slow` answers after 300 ms, `/big` answers 8 MiB,
 * Upgrade requests get a plain 200 (it declines them), and everything else a short 200.
 */
async function startVersion(): Promise<{ server: Server; port: number; urls: string[] }> {
  const urls: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    urls.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (req.url === '/big') return void res.end(Buffer.alloc(8 * 1024 * 1024, 'x'));
      const answer = (): void => void res.end(`ok ${req.url}`);
      if (req.url === '/slow') setTimeout(answer, 300);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, urls };
}

describe('a client cannot crash, wedge or bypass the router', () => {
  const router = new Router('production');
  const empty = new Router('staging');
  let version: Awaited<ReturnType<typeof startVersion>>;
  let backend: Backend;

  before(async () => {
    version = await startVersion();
    backend = new Backend('sha256:v', version.port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend, weight: 100, healthy: true }]));
    router.setLimits({ header_timeout_ms: 2000, body_idle_timeout_ms: 1000, max_connections: 1000 });
    await router.listen(0);
    await empty.listen(0);
  });
  beforeEach(() => {
    version.urls.length = 0;
  });
  after(async () => {
    await Promise.all([router.close(), empty.close()]);
    backend.dispose();
    version.server.closeAllConnections();
    version.server.close();
  });

  for (const [what, port, raw] of [
    ['CONNECT', () => router.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    [
      'an Upgrade nobody serves',
      () => empty.port,
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
    ],
  ] as const) {
    test(`${what}, then a reset, does not throw in the router`, async () => {
      for (let i = 0; i < 5; i++) {
        const socket = connect(port(), '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(raw);
        socket.resetAndDestroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = await exchangeRaw(
        router.port,
        'GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
      );
      assert.deepEqual(statusesOf(answer), [200], 'the router still answers');
    });
  }

  test('a keep-alive connection on the node:http path closes when idle after a request with a body', async () => {
    const socket = connect(router.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.write('POST /form HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc');
    await eventually(() => text.includes('ok /form'), 'the POST was answered');
    await closed(socket);
  });

  test('a client that stops reading its answer is cut after body_idle_timeout, and frees its slot', async () => {
    for (const version of ['1.1', '1.0']) {
      const socket = connect(router.port, '127.0.0.1');
      socket.pause();
      socket.write(`GET /big HTTP/${version}\r\nHost: a\r\nConnection: keep-alive\r\n\r\n`);
      const before = router.counters.body_timeouts;
      await eventually(() => backend.inflight === 1, `HTTP/${version}: the request is in flight`);
      await eventually(() => router.counters.body_timeouts === before + 1, `HTTP/${version}: cut as stalled`);
      await eventually(() => backend.inflight === 0, `HTTP/${version}: the slot is freed`);
      // A paused socket reports its end only once read: the router did close it.
      socket.resume();
      socket.on('error', () => undefined);
      await closed(socket);
    }
  });

  test('pipelined node:http requests of a client that left never reach the version', async () => {
    const socket = connect(router.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const pipelined = ['/slow', '/second', '/third']
      .map((path) => `GET ${path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`)
      .join('');
    socket.write(pipelined);
    await eventually(() => version.urls.includes('/slow'), 'the first request reached the version');
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(version.urls, ['/slow']);
    await eventually(() => backend.inflight === 0, 'nothing stays in flight');
  });

  test('a version that declines an upgrade: its answer is relayed, then the connection closes unparsed bytes away', async () => {
    // A raw version that answers 200 to anything and records every byte it gets.
    let bytes = '';
    const raw = createTcpServer((socket) =>
      socket.on('data', (d: Buffer) => {
        bytes += d.toString('latin1');
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno');
      }),
    );
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const declining = new Backend('sha256:raw', (raw.address() as AddressInfo).port);
    const front = new Router('production');
    front.setTable(buildRoutingTable('x-user-id', 'g', [{ backend: declining, weight: 100, healthy: true }]));
    await front.listen(0);
    const answer = await exchangeRaw(
      front.port,
      'GET /chat HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n' +
        'GET /evil HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n',
    );
    assert.deepEqual(statusesOf(answer), [200], answer);
    assert.match(answer, /connection: close/i);
    assert.doesNotMatch(bytes, /evil/, 'the bytes after the declined upgrade reached the version');
    await front.close();
    declining.dispose();
    raw.close();
  });

  test('an upgrade with two Host headers is a 400, as any request', async () => {
    const answer = await exchangeRaw(
      router.port,
      'GET /chat HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
    assert.deepEqual(statusesOf(answer), [400], answer);
    assert.deepEqual(version.urls, []);
  });
});

describe('closing a router', () => {
  test('an open WebSocket tunnel does not keep close() waiting past its grace, and both its ends close', async () => {
    const ws = createServer();
    let versionSawEnd = false;
    ws.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
      // Upgraded sockets of node:http servers are half-open: a WebSocket server ends its side on FIN.
      socket
        .on('error', () => undefined)
        .once('end', () => {
          versionSawEnd = true;
          socket.end();
        });
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    });
    await new Promise<void>((resolve) => ws.listen(0, '127.0.0.1', resolve));
    const backend = new Backend('sha256:ws', (ws.address() as AddressInfo).port);
    const router = new Router('production');
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend, weight: 100, healthy: true }]));
    await router.listen(0);
    const client = connect(router.port, '127.0.0.1');
    client.on('error', () => undefined);
    let text = '';
    client.on('data', (d: Buffer) => (text += d.toString('latin1')));
    client.write('GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n');
    await eventually(() => text.includes('101'), 'the tunnel opened');
    let done = false;
    void router.close().then(() => (done = true));
    await eventually(() => done, 'close() resolved');
    await closed(client);
    await eventually(() => versionSawEnd, "the router closed the version's end of the tunnel");
    backend.dispose();
    ws.closeAllConnections();
    ws.close();
  });
});

describe('answers with conflicting framing', () => {
  test('Transfer-Encoding wins and Content-Length is dropped before the client sees the answer', async () => {
    const raw = createTcpServer((socket) =>
      socket.on('data', () =>
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
        ),
      ),
    );
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const backend = new Backend('sha256:raw', (raw.address() as AddressInfo).port);
    const router = new Router('production');
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend, weight: 100, healthy: true }]));
    await router.listen(0);
    const answer = await exchangeRaw(router.port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(answer, /content-length/i);
    assert.match(answer, /\r\n\r\n2\r\nok\r\n0\r\n\r\n$/);
    await router.close();
    backend.dispose();
    raw.close();
  });
});
