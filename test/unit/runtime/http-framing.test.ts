import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedScanner, MALFORMED } from '../../../src/runtime/http/http1/chunked-scanner.js';
import { CHUNKED, parseRequestHead, UNTIL_CLOSE } from '../../../src/runtime/http/http1/request-head.js';
import { parseResponseHead } from '../../../src/runtime/http/http1/response-head.js';

const head = (...lines: string[]) => lines.join('\r\n');

test('a request head loses its hop-by-hop headers and gains x-forwarded-*', () => {
  const req = parseRequestHead(
    head(
      'GET /a?b=1 HTTP/1.1',
      'Host: shop',
      'Connection: keep-alive, close',
      'Keep-Alive: timeout=5',
      'X-Forwarded-For: 10.0.0.1',
      'X-User-Id: user-7',
      'Cookie: theme=dark',
      'cookie: cutover_uid=u1',
    ),
    'x-user-id',
    '127.0.0.1',
  );
  assert.deepEqual(req, {
    head:
      'GET /a?b=1 HTTP/1.1\r\nHost: shop\r\nX-User-Id: user-7\r\nCookie: theme=dark\r\ncookie: cutover_uid=u1\r\n' +
      'x-forwarded-for: 10.0.0.1, 127.0.0.1\r\nx-forwarded-proto: http\r\n\r\n',
    headBytes: 179,
    method: 'GET',
    target: '/a?b=1',
    body: 0,
    close: true,
    key: 'user-7',
    cookie: 'theme=dark; cutover_uid=u1',
  });
});

test('request bodies are framed by content-length or chunked', () => {
  const parse = (...headers: string[]) =>
    parseRequestHead(head('POST / HTTP/1.1', 'Host: a', ...headers), 'x', '');
  assert.equal(parse('Content-Length: 12')?.body, 12);
  assert.equal(parse('Transfer-Encoding: chunked')?.body, CHUNKED);
  assert.equal(parse()?.body, 0);
});

test('anything but plain HTTP/1.1 is left to node:http (null)', () => {
  const parse = (...lines: string[]) => parseRequestHead(head(...lines), 'x', '');
  assert.equal(parse('GET / HTTP/1.0', 'Host: a'), null);
  assert.equal(parse('GET / HTTP/1.1'), null, 'no Host');
  assert.equal(parse('GET / HTTP/1.1', 'Host: a', 'Host: b'), null);
  assert.equal(parse('GET / HTTP/1.1', 'Host: a', 'Upgrade: websocket', 'Connection: upgrade'), null);
  assert.equal(parse('PUT / HTTP/1.1', 'Host: a', 'Expect: 100-continue', 'Content-Length: 1'), null);
  assert.equal(parse('POST / HTTP/1.1', 'Host: a', 'Content-Length: 1', 'Transfer-Encoding: chunked'), null);
  assert.equal(parse('POST / HTTP/1.1', 'Host: a', 'Content-Length: 1', 'Content-Length: 1'), null);
  assert.equal(parse('POST / HTTP/1.1', 'Host: a', 'Content-Length: -1'), null);
  assert.equal(parse('POST / HTTP/1.1', 'Host: a', 'Transfer-Encoding: gzip, chunked'), null);
  assert.equal(parse('GET / HTTP/1.1', 'Host: a', 'X-A: 1', ' folded'), null);
  assert.equal(parse('GET / HTTP/1.1', 'Host : a'), null);
  assert.equal(parse('CONNECT a:443 HTTP/1.1', 'Host: a'), null);
});

test('a response head that needs no change is passed on as it came (null head)', () => {
  const res = parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 2'), 'GET', null, false);
  assert.deepEqual(res, { status: 200, head: null, body: 2, close: false });
});

test('a response head loses hop-by-hop headers and gains the uid cookie and connection: close', () => {
  const res = parseResponseHead(
    head('HTTP/1.1 201 Created', 'Connection: keep-alive', 'Keep-Alive: timeout=5', 'Content-Length: 0'),
    'POST',
    'cutover_uid=u1; Path=/',
    true,
  );
  assert.deepEqual(res, {
    status: 201,
    head: 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\nset-cookie: cutover_uid=u1; Path=/\r\nconnection: close\r\n\r\n',
    body: 0,
    close: false,
  });
  assert.equal(
    parseResponseHead(head('HTTP/1.0 200 OK', 'Content-Length: 0'), 'GET', null, false)?.close,
    true,
  );
});

test('response bodies: HEAD, 204 and 304 have none; transfer-encoding beats content-length', () => {
  const body = (status: string, method: string, ...headers: string[]) =>
    parseResponseHead(head(`HTTP/1.1 ${status}`, ...headers), method, null, false)?.body;
  assert.equal(body('200 OK', 'HEAD', 'Content-Length: 10'), 0);
  assert.equal(body('204 No Content', 'GET'), 0);
  assert.equal(body('304 Not Modified', 'GET', 'Content-Length: 10'), 0);
  assert.equal(body('200 OK', 'GET', 'Transfer-Encoding: chunked'), CHUNKED);
  assert.equal(body('200 OK', 'GET', 'Transfer-Encoding: gzip'), UNTIL_CLOSE);
  assert.equal(body('200 OK', 'GET'), UNTIL_CLOSE);
  assert.equal(body('200 OK', 'GET', 'Content-Length: 1', 'Content-Length: 2'), undefined);
  assert.equal(parseResponseHead('HTTP/2 200', 'GET', null, false), null);
});

test('the chunked scanner finds the end however the body is cut', () => {
  const body = Buffer.from('5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT');
  const end = body.length - 'NEXT'.length;
  assert.equal(new ChunkedScanner().scan(body, 0), end);
  for (let cut = 1; cut < end; cut++) {
    const scanner = new ChunkedScanner();
    assert.equal(scanner.scan(body.subarray(0, cut), 0), -1, `cut at ${cut}`);
    assert.equal(scanner.scan(body.subarray(cut), 0), end - cut, `cut at ${cut}`);
  }
  assert.equal(new ChunkedScanner().scan(Buffer.from('0\r\n\r\n'), 0), 5);
  assert.equal(new ChunkedScanner().scan(Buffer.from('zz\r\n'), 0), MALFORMED);
  assert.equal(new ChunkedScanner().scan(Buffer.from('2\r\nabc\r\n'), 0), MALFORMED);
});

test('the chunked scanner takes extensions and trailers in grammar, and refuses the rest', () => {
  const scan = (text: string) => new ChunkedScanner().scan(Buffer.from(text, 'latin1'), 0);
  for (const ok of [
    '5;a\r\nhello\r\n0\r\n\r\n',
    '5;a=b;c="d e"\r\nhello\r\n0\r\n\r\n',
    '5;a="x\\"y"\r\nhello\r\n0\r\n\r\n',
    'A\r\n0123456789\r\n0\r\nX-T: 1\r\nY:\r\n\r\n',
    '005\r\nhello\r\n000\r\n\r\n',
  ]) {
    assert.equal(scan(ok), Buffer.byteLength(ok, 'latin1'), JSON.stringify(ok));
  }
  for (const bad of [
    '5 \r\n',
    ' 5\r\n',
    '5; a\r\n',
    '5;a =b\r\n',
    '5;a\x01\r\n',
    '5;a=\xe9\r\n',
    '5\nhello',
    '0\r\n\n',
    '0\r\nX Y: 1\r\n',
    '0\r\nX: a\x00\r\n',
    '0\r\nX: 1\n',
    '1000000000000\r\n',
    `1;${'a'.repeat(5000)}\r\n`,
  ]) {
    assert.equal(scan(bad), MALFORMED, JSON.stringify(bad));
  }
  // leading zeros are not significant digits; the line limit still bounds them
  assert.equal(scan(`${'0'.repeat(20)}1\r\nx\r\n0\r\n\r\n`), 31);
  assert.equal(scan(`${'0'.repeat(5000)}1\r\n`), MALFORMED);
});

test('a response head out of grammar is null (a 502), framing values are trimmed of SP/HTAB only', () => {
  const parse = (...lines: string[]) => parseResponseHead(head(...lines), 'GET', null, false);
  assert.equal(parse('HTTP/1.1 200 OK', 'Content-Length: 3\xa0'), null);
  assert.equal(parse('HTTP/1.1 200 OK', 'Bad Name: 1'), null);
  assert.equal(parse('HTTP/1.1 200 OK', 'X: a\x00b'), null);
  assert.equal(parse('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked\v'), null);
  assert.equal(parse('HTTP/1.1 200 OK', 'Content-Length:\t3 ')?.body, 3);
  assert.equal(parse('HTTP/1.1 200 OK', 'Connection: closed')?.close, false);
});
