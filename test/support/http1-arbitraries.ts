import fc from 'fast-check';

/**
 * Byte streams a client might send a router: mostly well-formed HTTP/1.1 requests (so the
 * fast path's accepting side is exercised), with the probe's tricks mixed in — bad bytes in
 * targets, names and values, odd whitespace, duplicate or conflicting framing, bare LF, chunk
 * sizes, extensions and trailers out of grammar, pipelined requests — then byte-level mutations.
 */

const GOOD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];
const ODD_METHODS = ['get', 'FOO', 'CONNECT', 'TRACE', 'PROPFIND', 'GET ', ''];
const DANGER = [
  '\r',
  '\n',
  ' ',
  '\t',
  '\x00',
  '\x01',
  '\x0b',
  '\x0c',
  '\x7f',
  '\xa0',
  '\xff',
  ';',
  ':',
  '"',
  '\\',
  '=',
  '0',
  'a',
];

const chars = (pool: string, maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pool.split('')), { maxLength }).map((a) => a.join(''));

const urlChars = 'abcxyz019/?&=%-._~!$()*+,;:@#[]{}|^`"<>\\\'';
const tokenChars = "abcdefXYZ0123-_.!#$%&'*+^`|~";
const valueChars = 'abc XYZ 019,;=/:"()\t\x80\xe9\xff';

const maybeDanger = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 30, arbitrary: base },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom(...DANGER), base).map(([a, d, b]) => a + d + b) },
  );

const eol = fc.oneof({ weight: 60, arbitrary: fc.constant('\r\n') }, fc.constantFrom('\n', '\r', '\r\r\n'));
const ows = fc.constantFrom('', ' ', '  ', '\t', ' \t');

const target = fc.oneof(
  { weight: 40, arbitrary: maybeDanger(chars(urlChars, 20)).map((s) => `/${s}`) },
  fc.constantFrom('*', 'http://shop/a', 'shop:443', '', '/a b'),
);

const version = fc.oneof(
  { weight: 40, arbitrary: fc.constant('HTTP/1.1') },
  fc.constantFrom('HTTP/1.0', 'HTTP/1.2', 'http/1.1', 'HTTP/2.0', 'HTTP/1.1 '),
);

const field = fc
  .tuple(
    maybeDanger(chars(tokenChars, 12)),
    fc.oneof({ weight: 40, arbitrary: fc.constant(':') }, fc.constantFrom(' :', '')),
    ows,
    maybeDanger(chars(valueChars, 16)),
    ows,
  )
  .map(([name, colon, a, value, b]) => `${name || 'x'}${colon}${a}${value}${b}`);

const framing = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string[]>([]) },
  { weight: 6, arbitrary: fc.nat(40).map((n) => [`Content-Length: ${n}`]) },
  { weight: 8, arbitrary: fc.constant(['Transfer-Encoding: chunked']) },
  fc.constantFrom(
    ['content-length: 007'],
    ['Content-Length: 3\xa0'],
    ['Content-Length: +3'],
    ['Content-Length: 3', 'Content-Length: 3'],
    ['Content-Length: 3', 'Transfer-Encoding: chunked'],
    ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'],
    ['Transfer-Encoding: gzip, chunked'],
    ['Transfer-Encoding: Chunked'],
    ['Transfer-Encoding:  chunked\t'],
    ['Transfer-Encoding: chunked\x0b'],
    ['Expect: 100-continue'],
    ['Upgrade: websocket', 'Connection: upgrade'],
    ['Connection: close'],
  ),
);

const hostLines = fc.oneof(
  { weight: 40, arbitrary: fc.constant(['Host: shop']) },
  fc.constantFrom<string[]>([], ['Host: shop', 'Host: evil'], ['host:shop'], ['Host: '], ['Host : shop']),
);

const chunkSize = (n: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constant(n.toString(16)) },
    fc.constantFrom(
      n.toString(16).toUpperCase(),
      `00${n.toString(16)}`,
      `${n.toString(16)} `,
      ` ${n.toString(16)}`,
      `${n.toString(16)}\t`,
    ),
  );

const extension = fc.oneof(
  { weight: 10, arbitrary: fc.constant('') },
  fc.constantFrom(
    ';a',
    ';a=b',
    ';a="b c"',
    ';a="x\\"y"',
    ';a=b;c',
    '; a=b',
    ';a =b',
    ';=b',
    ';a=',
    ';a=\xe9',
    ';a\x01',
    ';a="\x7f"',
  ),
);

const chunk = fc.tuple(fc.nat(12), extension, eol, eol).chain(([n, ext, afterSize, afterData]) =>
  fc
    .tuple(
      chunkSize(n),
      chars('xyz01\r\n', n).map((d) => d.padEnd(n, 'z').slice(0, n)),
    )
    .map(([size, data]) => `${size}${ext}${afterSize}${data}${afterData}`),
);

const trailers = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  fc.array(field, { maxLength: 2 }).map((fs) => fs.map((f) => `${f}\r\n`).join('')),
  fc.constantFrom('garbage\r\n', 'X: 1\n', '\n'),
);

const chunkedBody = fc
  .tuple(fc.array(chunk, { maxLength: 3 }), extension, trailers, eol, eol)
  .map(([chunks, ext, trailer, afterLast, end]) => `${chunks.join('')}0${ext}${afterLast}${trailer}${end}`);

const request: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...GOOD_METHODS) }, fc.constantFrom(...ODD_METHODS)),
    target,
    version,
    hostLines,
    framing,
    fc.array(field, { maxLength: 4 }),
    eol,
    chunkedBody,
    chars('abc\r\n0', 40),
  )
  .map(([method, path, ver, host, frame, fields, end, chunked, raw]) => {
    const lines = [`${method} ${path} ${ver}`, ...host, ...fields, ...frame];
    const head = `${lines.join('\r\n')}\r\n${end}`;
    const isChunked = frame.some((l) => /transfer-encoding/i.test(l));
    const length = /^content-length: (\d+)$/i.exec(frame.find((l) => /^content-length: \d+$/i.test(l)) ?? '');
    const body = isChunked
      ? chunked
      : length
        ? raw.padEnd(Number(length[1]), 'q').slice(0, Number(length[1]))
        : '';
    return head + body;
  });

/** Up to three requests back to back (pipelined), then a few byte-level mutations. */
export const requestStream: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.array(request, { minLength: 1, maxLength: 3 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<Array<[number, string, string]>>([]) },
      fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...DANGER)),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
    ),
  )
  .map(([requests, mutations]) => {
    let text = requests.join('');
    for (const [position, kind, byte] of mutations) {
      const at = position % (text.length + 1);
      if (kind === 'insert') text = text.slice(0, at) + byte + text.slice(at);
      else if (kind === 'replace') text = text.slice(0, at) + byte + text.slice(at + 1);
      else text = text.slice(0, at) + text.slice(at + 1);
    }
    return Buffer.from(text, 'latin1');
  });

/** Where to cut a stream into reads. */
export const cutsOf = (length: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.nat(Math.max(1, length)), { maxLength: 4 })
    .map((cuts) => [...new Set(cuts)].sort((a, b) => a - b));
