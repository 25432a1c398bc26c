import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Backend } from '../../../src/runtime/http/backend.js';
import { Router } from '../../../src/runtime/http/router.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { startLenientBackend, type LenientBackend } from '../../support/lenient-backend.js';
import { exchangeRaw, statusesOf } from '../../support/raw-http.js';

const head = (...lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;
const POST_CHUNKED = ['POST /upload HTTP/1.1', 'Host: shop', 'Transfer-Encoding: chunked'];

describe('the router front refuses what llhttp refuses, before a lenient version sees it', () => {
  const router = new Router('production');
  let app: LenientBackend;
  let backend: Backend;

  before(async () => {
    app = await startLenientBackend();
    backend = new Backend('sha256:lenient', app.port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend, weight: 100, healthy: true }]));
    await router.listen(0);
  });
  beforeEach(() => {
    app.seen.length = 0;
    app.received.length = 0;
  });
  const forwarded = (): string => app.received.join('');
  after(async () => {
    await router.close();
    backend.dispose();
    await app.close();
  });

  test('a chunked body ending in a bare LF cannot smuggle a request onto a pooled connection', async () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const attack =
        head(...POST_CHUNKED) +
        '0\r\n\n' +
        head('POST /smuggled HTTP/1.1', 'Host: shop', 'Content-Length: 120');
      const answer = await exchangeRaw(router.port, attack, 1500);
      assert.doesNotMatch(answer, /HTTP\/1\.1 200/, 'the attacker got an answer for a malformed body');
      const victim = await exchangeRaw(
        router.port,
        head('GET /account HTTP/1.1', 'Host: shop', 'Cookie: session=victim-secret', 'Connection: close'),
      );
      assert.match(victim, /^HTTP\/1\.1 200/, `the victim was answered (attempt ${attempt})`);
      assert.match(victim, /GET \/account$/);
      assert.ok(
        app.seen.every((r) => r.url !== '/smuggled' && !r.body.includes('victim-secret')),
        `the version saw ${JSON.stringify(app.seen.map((r) => `${r.method} ${r.url} ${r.body}`))}`,
      );
    }
  });

  // Heads out of grammar: nothing of them may reach the version.
  const refusedHeads: Array<[string, string]> = [
    ['a NUL in the target', head('GET /a\x00b HTTP/1.1', 'Host: shop')],
    ['a control byte in the target', head('GET /a\x01b HTTP/1.1', 'Host: shop')],
    ['a bare CR in a header value', head('GET / HTTP/1.1', 'Host: shop', 'X-A: a\rb')],
    ['a NUL in a header value', head('GET / HTTP/1.1', 'Host: shop', 'X-A: a\x00b')],
    ['a DEL in a header value', head('GET / HTTP/1.1', 'Host: shop', 'X-A: a\x7fb')],
    ['a space inside a header name', head('GET / HTTP/1.1', 'Host: shop', 'X A: 1')],
    ['a space before the colon', head('GET / HTTP/1.1', 'Host: shop', 'X-A : 1')],
    [
      'Content-Length: 3 and a no-break space',
      head('POST / HTTP/1.1', 'Host: shop', 'Content-Length: 3\xa0') + 'abc',
    ],
    [
      'Transfer-Encoding: chunked and a vertical tab',
      head(...POST_CHUNKED.slice(0, 2), 'Transfer-Encoding: chunked\v') + '0\r\n\r\n',
    ],
    ['a head with bare LF line ends', 'GET / HTTP/1.1\nHost: shop\n\n'],
    ['two Host headers', head('GET / HTTP/1.1', 'Host: shop', 'Host: admin')],
  ];
  for (const [what, raw] of refusedHeads) {
    test(`${what}: 400, the connection closed, nothing forwarded`, async () => {
      const answer = await exchangeRaw(router.port, raw);
      assert.deepEqual(statusesOf(answer), [400], JSON.stringify(answer));
      assert.equal(forwarded(), '', 'the version was sent some of it');
    });
  }

  // Chunked bodies out of grammar: the head may have gone ahead, but not the offending bytes, and
  // the version's connection is dropped, so it never completes a request from them.
  const refusedBodies: Array<[string, string, string]> = [
    ['a control byte in a chunk extension', '5;a\x01b\r\nhello\r\n0\r\n\r\n', '\x01'],
    ['a space after the chunk size', '5 \r\nhello\r\n0\r\n\r\n', '5 '],
    ['a garbage trailer line', '5\r\nhello\r\n0\r\ngarbage\r\n\r\n', 'garbage'],
    ['a chunk without its CRLF', '5\r\nhelloX0\r\n\r\n', 'helloX'],
    ['a chunk size ended by a bare LF', '5\nhello\r\n0\r\n\r\n', '5\n'],
    ['a last chunk ended by a bare LF', '0\r\n\nGET /smuggled HTTP/1.1\r\nHost: shop\r\n\r\n', '\n\n'],
  ];
  for (const [what, body, offending] of refusedBodies) {
    test(`${what}: 400, the connection closed, the version completes no request`, async () => {
      const answer = await exchangeRaw(router.port, head(...POST_CHUNKED) + body);
      assert.deepEqual(statusesOf(answer), [400], JSON.stringify(answer));
      assert.ok(!forwarded().includes(offending), `forwarded ${JSON.stringify(forwarded())}`);
      // The version's connection that held part of it is dropped: wait for that, then look.
      await app.closedWith('POST /upload');
      assert.deepEqual(app.seen, []);
    });
  }

  for (const kib of [70, 100, 127]) {
    test(`a head of ${kib} KiB is 431, whichever read it arrives in`, async () => {
      const big = head('GET / HTTP/1.1', 'Host: shop', `X-Big: ${'a'.repeat(kib * 1024)}`);
      const answer = await exchangeRaw(router.port, big);
      assert.deepEqual(statusesOf(answer), [431], answer.slice(0, 200));
      assert.equal(forwarded(), '');
    });
  }
});
