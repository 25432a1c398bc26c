import type { Socket } from 'node:net';
import { BodyFraming, MALFORMED } from './http1/body-framing.js';
import { BAD_REQUEST, HEAD_TOO_LARGE, MAX_HEAD_BYTES } from './http1/front-answers.js';
import { HAND_OVER, INCOMPLETE, readHead, TOO_LARGE } from './http1/read-head.js';
import { FastSocket, type FastPathHost } from './fast-socket.js';
import { backendForKey } from './routing-table.js';
import { mintUid, readUidCookie } from './sticky-key.js';

/**
 * A client connection on the fast path: parses request heads, picks the version, streams the
 * request body through and lets a FastExchange relay the answer. The first request that is not
 * plain HTTP/1.1 (or that the router answers itself) hands the connection to node:http. A head
 * or body out of grammar or too large gets its 400/431 here and the connection ends; the socket,
 * its time limits (408) and the ways of letting go of it are FastSocket's (fast-socket.ts).
 */
export class FastConnection extends FastSocket {
  private readonly client: string;
  private readonly body = new BodyFraming();

  constructor(socket: Socket, host: FastPathHost) {
    super(socket, host);
    // Read once: every request names the client in x-forwarded-for, and each read is a syscall.
    this.client = socket.remoteAddress ?? '';
  }

  onAnswerBlocked(): void {
    this.clock.answerBlocked(performance.now());
  }

  onExchangeDone(closeClient: boolean): void {
    this.clock.answered(performance.now());
    if (closeClient || this.closing) return this.closeWhenIdle();
    if (this.socket.isPaused()) this.socket.resume();
    this.next();
  }

  protected receive(chunk: Buffer): void {
    this.clock.read(performance.now());
    let at = 0;
    if (!this.requestDone) {
      at = this.forwardBody(chunk, 0);
      if (at === chunk.length) return;
    }
    if (this.closing) return;
    const rest = at === 0 ? chunk : chunk.subarray(at);
    this.pending.append(rest);
    if (!this.exchange.active) this.next();
    // Pipelined requests wait for the answer before them; this bounds how much of them.
    else if ((this.pending.bytes as Buffer).length > MAX_HEAD_BYTES) this.socket.pause();
  }

  protected next(): void {
    const buf = this.pending.bytes;
    if (this.exchange.active || this.closing) return;
    if (buf === null) return void (this.ended && this.closeWhenIdle());
    const table = this.host.routingTable();
    const request = readHead(buf, table.header, this.client, this.pending.scanned);
    if (request === INCOMPLETE) {
      this.pending.scanned = buf.length;
      if (this.ended) return this.closeWhenIdle();
      this.clock.awaitingHead(performance.now());
      return;
    }
    if (request === TOO_LARGE) {
      this.host.counters.heads_too_large++;
      return this.refuse(HEAD_TOO_LARGE);
    }
    if (request === HAND_OVER || table.empty || this.host.ownsTarget(request.target)) return this.handOver();
    this.clock.headDone();
    this.pending.consume(request.headBytes);
    // As in node-front.ts: one version for everybody needs no key (and sets no cookie).
    let backend = table.only;
    let uid: string | null = null;
    if (backend === null) {
      let key = request.key ?? readUidCookie(request.cookie);
      if (key === null) key = uid = mintUid();
      backend = backendForKey(table, key);
    }
    this.body.reset(request.body);
    this.requestDone = request.body === 0;
    this.exchange.start(backend, request, uid, performance.now());
    // What came after the head: body bytes, or requests pipelined behind this one.
    const rest = this.pending.bytes;
    this.pending.clear();
    if (rest !== null) this.receive(rest);
  }

  /** Sends the request body part of `chunk` from `at`; returns where the body part stops. */
  private forwardBody(chunk: Buffer, at: number): number {
    const end = this.body.scan(chunk, at);
    if (end === MALFORMED) {
      this.host.counters.bad_requests++;
      this.cancelRequest(BAD_REQUEST);
      return chunk.length;
    }
    const stop = end === -1 ? chunk.length : end;
    if (stop > at && !this.exchange.writeBody(chunk.subarray(at, stop))) this.socket.pause();
    if (end !== -1) this.requestDone = true;
    return stop;
  }
}
