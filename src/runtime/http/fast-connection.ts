import type { Socket } from 'node:net';
import { BodyFraming, MALFORMED } from './http1/body-framing.js';
import { BAD_REQUEST, HEAD_TOO_LARGE, MAX_HEAD_BYTES, REQUEST_TIMEOUT } from './http1/front-answers.js';
import { PendingBytes } from './http1/pending-bytes.js';
import { HAND_OVER, INCOMPLETE, readHead, TOO_LARGE } from './http1/read-head.js';
import { ClientClock, Expired, KEEP_ALIVE_MS } from './client-clock.js';
import { FastExchange, type ExchangeOwner } from './fast-exchange.js';
import type { FrontCounters, RouterLimits } from '../client/api-types.js';
import { backendForKey, type RoutingTable } from './routing-table.js';
import { mintUid, readUidCookie } from './sticky-key.js';

/** What a fast connection needs from the router it belongs to. */
export interface FastPathHost {
  routingTable(): RoutingTable;
  limits(): RouterLimits;
  readonly counters: FrontCounters;
  /** requests the router answers itself (not a version) go through node:http */
  ownsTarget(target: string): boolean;
  /** node:http takes the connection over, starting with `pending` (unparsed bytes) */
  handOver(socket: Socket, pending: Buffer | null): void;
  forget(conn: FastConnection): void;
}

/**
 * A client connection on the fast path: parses request heads, picks the version, streams the
 * request body through and lets a FastExchange relay the answer. The first request that is not
 * plain HTTP/1.1 (or that the router answers itself) hands the connection to node:http. A head
 * or body out of grammar, too large or too slow gets its 400/431/408 here and the connection ends.
 */
export class FastConnection implements ExchangeOwner {
  requestDone = true;
  /** close once the current exchange is over (the client asked, or the router is closing) */
  closing = false;
  /** the client ended its side */
  private ended = false;
  private readonly clock = new ClientClock();
  private readonly client: string;
  private readonly pending = new PendingBytes();
  private readonly body = new BodyFraming();
  private readonly exchange = new FastExchange(this);
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onDrain = (): void => {
    this.clock.answerTaken();
    this.exchange.onClientDrain();
  };
  /**
   * The client sent FIN. Requests it pipelined before still get answered (allowHalfOpen), then we
   * end. With nothing more from it and its request complete, it has given up waiting, as Go's
   * net/http and nginx read it: the version's work on its behalf is cancelled.
   */
  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.exchange.active) this.next();
    else if (this.requestDone && this.pending.bytes === null) this.socket.destroy();
  };
  private readonly onClose = (): void => {
    this.exchange.abandon();
    this.host.forget(this);
  };

  constructor(
    readonly socket: Socket,
    private readonly host: FastPathHost,
  ) {
    // Read once: every request names the client in x-forwarded-for, and each read is a syscall.
    this.client = socket.remoteAddress ?? '';
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    // Errors end in 'close', where the exchange is abandoned.
    socket.on('error', noop);
  }

  /** Ends the connection now when idle, else after its current exchange. */
  closeWhenIdle(): void {
    this.closing = true;
    if (!this.exchange.active) this.socket.end();
  }

  /** Enforces keep-alive, header and body-idle limits; called about once a second. */
  sweep(now: number): void {
    const active = this.exchange.active;
    const arriving = !this.requestDone && !this.socket.isPaused();
    switch (this.clock.expired(now, this.host.limits(), active, arriving)) {
      case Expired.KeepAlive:
        return void this.socket.destroy();
      case Expired.Header:
        this.host.counters.header_timeouts++;
        return this.refuse(REQUEST_TIMEOUT);
      case Expired.BodyIdle:
        this.host.counters.body_timeouts++;
        return this.cancelRequest(REQUEST_TIMEOUT);
      case Expired.AnswerStalled:
        this.host.counters.body_timeouts++;
        this.exchange.abandon();
        return void this.socket.destroy();
    }
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

  private receive(chunk: Buffer): void {
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

  private next(): void {
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

  /** The request in flight is given up (its version connection dropped): `answer` if we still can. */
  private cancelRequest(answer: Buffer): void {
    if (this.exchange.cancel()) this.refuse(answer);
    else this.socket.destroy();
  }

  /** Answers `answer` (which says `connection: close`) and ends the connection; nothing more is read. */
  private refuse(answer: Buffer): void {
    this.closing = true;
    this.pending.clear();
    this.clock.headDone();
    this.requestDone = true;
    this.socket.off('data', this.onData);
    // Still read (and drop) what comes, so closing does not reset the answer away.
    this.socket.resume();
    this.socket.end(answer);
    // A client that never reads its answer does not keep the connection.
    this.socket.setTimeout(KEEP_ALIVE_MS, () => this.socket.destroy());
  }

  private handOver(): void {
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('drain', this.onDrain);
    socket.off('end', this.onEnd);
    socket.off('close', this.onClose);
    socket.off('error', noop);
    this.host.forget(this);
    this.host.handOver(socket, this.pending.bytes);
    this.pending.clear();
  }
}

function noop(): void {}
