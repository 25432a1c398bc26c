import type { Socket } from 'node:net';
import { BodyFraming, MALFORMED } from './body-framing.js';
import { FastExchange, type ExchangeOwner } from './fast-exchange.js';
import { findHeadEnd, parseRequestHead } from './request-head.js';
import { backendForKey, type RoutingTable } from './routing-table.js';
import { mintUid, readUidCookie } from './sticky-key.js';

const MAX_HEAD_BYTES = 64 * 1024;
// node:http's default keepAliveTimeout: an idle client connection is closed after this.
const KEEP_ALIVE_MS = 5000;

/** What a fast connection needs from the router it belongs to. */
export interface FastPathHost {
  routingTable(): RoutingTable;
  /** requests the router answers itself (not a version) go through node:http */
  ownsTarget(target: string): boolean;
  /** node:http takes the connection over, starting with `pending` (unparsed bytes) */
  handOver(socket: Socket, pending: Buffer | null): void;
  forget(conn: FastConnection): void;
}

/**
 * A client connection on the fast path: parses request heads, picks the version, streams the
 * request body through and lets a FastExchange relay the answer. The first request that is not
 * plain HTTP/1.1 (or that the router answers itself) hands the connection to node:http.
 */
export class FastConnection implements ExchangeOwner {
  requestDone = true;
  /** close once the current exchange is over (the client asked, or the router is closing) */
  closing = false;
  /** the client ended its side */
  private ended = false;
  /** performance.now() of the last bytes from the client or the end of the last answer: idle past keep-alive, it is closed */
  private lastActive = performance.now();
  private readonly client: string;
  private pending: Buffer | null = null;
  private readonly body = new BodyFraming();
  private readonly exchange = new FastExchange(this);
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onDrain = (): void => this.exchange.onClientDrain();
  /** The client sent FIN: what it sent before still gets answered (allowHalfOpen), then we end. */
  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.exchange.active) this.next();
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

  /** Closes the connection when it has been idle, between requests, longer than keep-alive allows. */
  sweep(now: number): void {
    if (!this.exchange.active && now - this.lastActive > KEEP_ALIVE_MS) this.socket.destroy();
  }

  onExchangeDone(closeClient: boolean): void {
    // Idle from the end of the answer, not from the request: a slow answer is no idle time.
    this.lastActive = performance.now();
    if (closeClient || this.closing) return this.closeWhenIdle();
    if (this.socket.isPaused()) this.socket.resume();
    this.next();
  }

  private receive(chunk: Buffer): void {
    this.lastActive = performance.now();
    let at = 0;
    if (!this.requestDone) {
      at = this.forwardBody(chunk, 0);
      if (at === chunk.length) return;
    }
    if (this.closing) return;
    const rest = at === 0 ? chunk : chunk.subarray(at);
    this.pending = this.pending === null ? rest : Buffer.concat([this.pending, rest]);
    if (!this.exchange.active) this.next();
    // Pipelined requests wait for the answer before them; this bounds how much of them.
    else if (this.pending.length > MAX_HEAD_BYTES) this.socket.pause();
  }

  private next(): void {
    const buf = this.pending;
    if (this.exchange.active || this.closing) return;
    const end = buf === null ? -1 : findHeadEnd(buf, 0);
    if (buf === null || end === -1) {
      if (this.ended) return this.closeWhenIdle();
      // Too long a head is node:http's to refuse (431), like anything else unusual.
      if (buf !== null && buf.length > MAX_HEAD_BYTES) this.handOver();
      return;
    }
    const table = this.host.routingTable();
    const request = parseRequestHead(buf.toString('latin1', 0, end - 4), table.header, this.client);
    if (request === null || table.empty || this.host.ownsTarget(request.target)) return this.handOver();
    this.pending = end < buf.length ? buf.subarray(end) : null;
    // As in Router.handle: one version for everybody needs no key (and sets no cookie).
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
    const rest = this.pending;
    this.pending = null;
    if (rest !== null) this.receive(rest);
  }

  /** Sends the request body part of `chunk` from `at`; returns where the body part stops. */
  private forwardBody(chunk: Buffer, at: number): number {
    const end = this.body.scan(chunk, at);
    if (end === MALFORMED) {
      this.socket.destroy();
      return chunk.length;
    }
    const stop = end === -1 ? chunk.length : end;
    if (stop > at && !this.exchange.writeBody(chunk.subarray(at, stop))) this.socket.pause();
    if (end !== -1) this.requestDone = true;
    return stop;
  }

  private handOver(): void {
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('drain', this.onDrain);
    socket.off('end', this.onEnd);
    socket.off('close', this.onClose);
    socket.off('error', noop);
    this.host.forget(this);
    this.host.handOver(socket, this.pending);
    this.pending = null;
  }
}

function noop(): void {}
