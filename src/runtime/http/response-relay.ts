import type { Socket } from 'node:net';
import { BodyFraming, MALFORMED } from './http1/body-framing.js';
import { MAX_HEAD_BYTES } from './http1/front-answers.js';
import { findHeadEnd } from './http1/request-head.js';
import { parseResponseHead } from './http1/response-head.js';

// Up to this size a rewritten head and the body bytes with it are copied into one buffer.
const SMALL_BODY_BYTES = 16 * 1024;
const BAD_GATEWAY_BODY = '{"code":"E_BAD_GATEWAY","message":"the version did not answer"}\n';
const BAD_GATEWAY = Buffer.from(
  'HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\n' +
    `content-length: ${Buffer.byteLength(BAD_GATEWAY_BODY)}\r\n\r\n${BAD_GATEWAY_BODY}`,
);

/** What relaying a chunk of the version's answer came to. */
export const enum Relayed {
  /** the answer goes on */
  More,
  /** the answer goes on, but the client is not keeping up: pause the version */
  Blocked,
  /** the answer is complete */
  Done,
  /** the version answered garbage */
  Malformed,
}

/**
 * Passes a version's answer to the client: gathers the head (dropping interim 1xx answers),
 * rewrites it when needed, then relays the body bytes as they come until its framing says
 * the answer is over. State for one answer at a time, reset per request.
 */
export class ResponseRelay {
  headSent = false;
  status = 0;
  /** the version's connection cannot carry another request */
  upstreamCloses = false;
  private partial: Buffer | null = null;
  private readonly framing = new BodyFraming();

  /** `to.socket` is read at each write: the owner's fields may not be set while it is built. */
  constructor(private readonly to: { readonly socket: Socket }) {}

  /** the answer's body runs until the version closes */
  get untilClose(): boolean {
    return this.framing.untilClose;
  }

  /** no byte of an answer has arrived */
  get untouched(): boolean {
    return this.partial === null && !this.headSent;
  }

  reset(): void {
    this.headSent = false;
    this.partial = null;
    this.upstreamCloses = false;
  }

  /** `cookie`: a uid cookie to set; `closeClient`: the client connection ends after this answer. */
  relay(chunk: Buffer, method: string, cookie: string | null, closeClient: boolean): Relayed {
    if (this.headSent) return this.relayBody(chunk, 0, 0, null);
    // Until copied, `buf` is (part of) the connection's read buffer, which its next read reuses.
    const inReadBuffer = this.partial === null;
    let buf = inReadBuffer ? chunk : Buffer.concat([this.partial as Buffer, chunk]);
    for (;;) {
      const end = findHeadEnd(buf, 0);
      if (end === -1) {
        this.partial = inReadBuffer ? Buffer.from(buf) : buf;
        return buf.length > MAX_HEAD_BYTES ? Relayed.Malformed : Relayed.More;
      }
      if (end > MAX_HEAD_BYTES) return Relayed.Malformed;
      const head = parseResponseHead(buf.toString('latin1', 0, end - 4), method, cookie, closeClient);
      if (head === null) return Relayed.Malformed;
      if (head.status >= 200) {
        this.partial = null;
        this.headSent = true;
        this.status = head.status;
        this.framing.reset(head.body);
        this.upstreamCloses = head.close || this.framing.untilClose;
        return this.relayBody(buf, end, head.head === null ? 0 : end, head.head);
      }
      // An interim answer (like 103 Early Hints): dropped, the final answer follows.
      buf = buf.subarray(end);
    }
  }

  /** Answers 502 in place of the version (same body as the node:http path's). */
  answerBadGateway(): void {
    this.headSent = true;
    this.status = 502;
    this.framing.reset(0);
    this.upstreamCloses = true;
    this.to.socket.write(BAD_GATEWAY);
  }

  /** Body bytes of `buf` from `at`; the client gets `buf` from `from` (the head too when < `at`). */
  private relayBody(buf: Buffer, at: number, from: number, head: string | null): Relayed {
    const end = this.framing.scan(buf, at);
    if (end === MALFORMED) return Relayed.Malformed;
    const stop = end === -1 ? buf.length : end;
    const flowing = this.write(buf, from, stop, head);
    if (end === -1) return flowing ? Relayed.More : Relayed.Blocked;
    // Bytes after the end of the answer: the connection is out of step, it is not reused.
    if (end < buf.length) this.upstreamCloses = true;
    return Relayed.Done;
  }

  /** One write for the usual small answer: a copy costs less than a second syscall. */
  private write(buf: Buffer, from: number, stop: number, head: string | null): boolean {
    const client = this.to.socket;
    if (head === null) {
      if (stop === from) return true;
      return client.write(from === 0 && stop === buf.length ? buf : buf.subarray(from, stop));
    }
    if (stop - from > SMALL_BODY_BYTES) {
      client.write(head, 'latin1');
      return client.write(buf.subarray(from, stop));
    }
    const out = Buffer.allocUnsafe(head.length + stop - from);
    out.write(head, 0, 'latin1');
    buf.copy(out, head.length, from, stop);
    return client.write(out);
  }
}
