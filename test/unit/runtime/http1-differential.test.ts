import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutsOf, requestStream } from '../../support/http1-arbitraries.js';
import { checkAgainstLlhttp, type Verdict } from '../../support/http1-differential.js';

// bench/http-differential.mjs runs the same property on 100,000 streams.
const RUNS = 4000;

test(`the fast path never relays what llhttp refuses, and ends each message where llhttp does (${RUNS} streams)`, () => {
  const verdicts: Verdict[] = [];
  fc.assert(
    fc.property(
      requestStream.chain((stream) => fc.tuple(fc.constant(stream), cutsOf(stream.length))),
      ([stream, cuts]) => {
        verdicts.push(checkAgainstLlhttp(stream, cuts));
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261128) },
  );
  // The generator must reach every side of the parser, or the property proves little.
  const count = (p: (v: Verdict) => boolean): number => verdicts.filter(p).length;
  assert.ok(
    count((v) => v.relayed > 0) > RUNS / 4,
    `streams with a relayed message: ${count((v) => v.relayed > 0)}`,
  );
  assert.ok(count((v) => v.relayed > 1) > RUNS / 50, 'pipelined messages relayed');
  for (const outcome of ['hand-over', 'bad-body', 'incomplete'] as const) {
    assert.ok(count((v) => v.outcome === outcome) > RUNS / 100, `streams ending ${outcome}`);
  }
});

test('known vectors: the probe found these relayed as they came; now each is refused or handed to llhttp', () => {
  const chunked = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n';
  const cases = [
    chunked + '0\r\n\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n',
    chunked + '5 \r\nhello\r\n0\r\n\r\n',
    chunked + '5;a\x01\r\nhello\r\n0\r\n\r\n',
    chunked + '5\r\nhello\r\n0\r\ngarbage\r\n\r\n',
    'GET /a\x00 HTTP/1.1\r\nHost: a\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nX Y: 1\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\xa0\r\n\r\nabc',
    'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\v\r\n\r\n0\r\n\r\n',
  ];
  for (const text of cases) {
    const verdict = checkAgainstLlhttp(Buffer.from(text, 'latin1'));
    assert.equal(verdict.relayed, 0, JSON.stringify(text));
    assert.ok(
      ['hand-over', 'bad-body'].includes(verdict.outcome),
      `${verdict.outcome}: ${JSON.stringify(text)}`,
    );
  }
});
