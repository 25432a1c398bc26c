import type { Socket } from 'node:net';
import { ClientClock, Expired, KEEP_ALIVE_MS } from './client-clock.js';
import { FastExchange } from './fast-exchange.js';
import type { ExchangeOwner, FrontHost } from './front-contracts.js';
import { REQUEST_TIMEOUT } from './http1/front-answers.js';
import { PendingBytes } from './http1/pending-bytes.js';

/** What a fast connection needs from the router it belongs to. */
export interface FastPathHost extends FrontHost {
  /** requests the router answers itself (not a version) go through node:http */
  ownsTarget(target: string): boolean;
  /** node:http takes the connection over, starting with `pending` (unparsed bytes) */
  handOver(socket: Socket, pending: Buffer | null): void;
  forget(conn: FastSocket): void;
}

/**
 * A client connection as the fast path holds it: the listeners on its socket, the time limits it
 * is held to, and the ways of letting go of it (closing once idle, refusing with a last answer,
 * handing it to node:http). What goes over it, request after request, is FastConnection's.
 */
export abstract class FastSocket implements ExchangeOwner {
  requestDone = true;
  /** close once the current exchange is over (the client asked, or the router is closing) */
  closing = false;
  /** the client ended its side */
  protected ended = false;
  protected readonly clock = new ClientClock();
  protected readonly pending = new PendingBytes();
  protected readonly exchange = new FastExchange(this);
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
    protected readonly host: FastPathHost,
  ) {
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    // Errors end in 'close', where the exchange is abandoned.
    socket.on('error', noop);
  }

  abstract onExchangeDone(closeClient: boolean): void;
  abstract onAnswerBlocked(): void;
  /** Bytes from the client: the body of the request in flight, or requests to come. */
  protected abstract receive(chunk: Buffer): void;
  /** Starts the next request waiting in `pending`, unless one is in flight. */
  protected abstract next(): void;

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

  /** The request in flight is given up (its version connection dropped): `answer` if we still can. */
  protected cancelRequest(answer: Buffer): void {
    if (this.exchange.cancel()) this.refuse(answer);
    else this.socket.destroy();
  }

  /** Answers `answer` (which says `connection: close`) and ends the connection; nothing more is read. */
  protected refuse(answer: Buffer): void {
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

  protected handOver(): void {
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
