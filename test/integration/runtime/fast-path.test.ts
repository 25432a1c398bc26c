import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Backend } from '../../../src/runtime/http/backend.js';
import { Router } from '../../../src/runtime/http/router.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { startInProcessBackend, type InProcessBackend } from '../../support/runtime-http.js';

/**
 * Writes `raw` on a fresh connection (then, with `fin`, ends its side) and resolves with
 * everything read until the router closes the connection.
 */
function exchangeRaw(port: number, raw: string, fin = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => (fin ? socket.end(raw) : socket.write(raw)));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

/** A version speaking raw HTTP: answers each request with `answer(n)`, then closes if asked. */
async function startRawVersion(answer: (n: number, socket: Socket) => void): Promise<Server> {
  let n = 0;
  const server = createServer((socket) => socket.on('data', () => answer(n++, socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the router fast path', () => {
  const router = new Router('production');
  let app: InProcessBackend;
  let backend: Backend | undefined;
  const recorded = () => {
    let n = 0;
    backend?.window.forEachSince(0, () => n++);
    return n;
  };
  const servers: Server[] = [];

  const route = (port: number) => {
    backend?.dispose();
    backend = new Backend(`sha256:${port}`, port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend, weight: 100, healthy: true }]));
  };

  before(async () => {
    app = await startInProcessBackend('stable');
    await router.listen(0);
  });

  after(async () => {
    await router.close();
    backend?.dispose();
    await app.close();
    for (const server of servers) server.close();
  });

  test('a keep-alive connection stays usable after an answer slower than the idle limit (5 s)', async () => {
    route(app.port);
    const socket = connect(router.port, '127.0.0.1');
    let text = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('close', () => (closed = true));
    const answers = async (n: number) => {
      for (let i = 0; i < 1000 && (text.match(/HTTP\/1\.1 200/g) ?? []).length < n && !closed; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return (text.match(/HTTP\/1\.1 200/g) ?? []).length;
    };
    socket.write('GET /slow?ms=5600 HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.equal(await answers(1), 1);
    // Past at least one idle sweep: a connection idle since its *request* would be closed by now.
    await new Promise((r) => setTimeout(r, 1300));
    socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.equal(await answers(2), 2, `the second answer came on the same connection; closed: ${closed}`);
    socket.destroy();
  });

  test('pipelined requests, sent with a FIN, and HEAD are all answered, in order', async () => {
    route(app.port);
    const reply = await exchangeRaw(
      router.port,
      'HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
      true,
    );
    assert.equal(reply.match(/HTTP\/1\.1 200 OK/g)?.length, 3, reply);
    assert.equal(reply.match(/\{"version":"stable"\}/g)?.length, 2, 'HEAD has no body');
    assert.doesNotMatch(reply, /keep-alive: timeout/i, 'hop-by-hop headers of the version stay behind');
    assert.equal(recorded(), 3);
  });

  test('a chunked request body streams through to the version', async () => {
    route(app.port);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ port: router.port, host: '127.0.0.1', method: 'POST', path: '/echo' }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('a'.repeat(70_000));
      setTimeout(() => req.end('b'), 20);
    });
    assert.equal(body, `${'a'.repeat(70_000)}b`);
    assert.equal(app.seen.at(-1)?.['transfer-encoding'], 'chunked');
  });

  test('HTTP/1.0 and Expect: 100-continue go to node:http, which answers them', async () => {
    route(app.port);
    const old = await exchangeRaw(router.port, 'GET / HTTP/1.0\r\n\r\n');
    assert.match(old, /^HTTP\/1\.1 200 OK/);
    assert.match(old, /\{"version":"stable"\}/);
    const expecting = await exchangeRaw(
      router.port,
      'PUT /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi',
    );
    assert.match(expecting, /200 OK[\s\S]*\r\n\r\n(2\r\n)?hi/);
  });

  test('an answer without length ends with the version closing, and the client connection too', async () => {
    const version = await startRawVersion((_, socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close'));
    servers.push(version);
    route((version.address() as AddressInfo).port);
    const reply = await exchangeRaw(router.port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.match(reply, /connection: close\r\n\r\nuntil close$/);
    assert.equal(recorded(), 1);
  });

  test('a keep-alive connection the version dropped is retried once; garbage is a 502', async () => {
    const version = await startRawVersion((n, socket) => {
      // The first answer keeps the connection, then the version drops it without a word.
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else if (n === 1) socket.destroy();
      else if (n === 2) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain');
      else socket.end('garbage\r\n\r\n');
    });
    servers.push(version);
    route((version.address() as AddressInfo).port);
    const client = connect(router.port, '127.0.0.1');
    let text = '';
    client.on('data', (d: Buffer) => (text += d.toString('latin1')));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(text); i++) await new Promise((r) => setTimeout(r, 10));
      assert.match(text, pattern);
    };
    client.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(/ok$/);
    client.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(/again$/);
    client.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(/502 Bad Gateway[\s\S]*E_BAD_GATEWAY/);
    client.destroy();
    assert.equal(backend?.proxyErrors, 1);
    assert.equal(backend?.inflight, 0);
  });
});
