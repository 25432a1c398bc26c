import type { Backend } from './backend.js';
import type { ExchangeOwner } from './front-contracts.js';
import type { ForwardedRequest } from './http1/request-head.js';
import { Relayed, ResponseRelay } from './response-relay.js';
import { formatUidCookie } from './sticky-key.js';
import type { UpstreamConnection, UpstreamUser } from './upstream.js';

/**
 * One request through the fast path, from picking a connection to the version to recording
 * the answer's status and latency in the version's window; in-flight counting, the one retry
 * and the 502 are here, the answer's bytes are the relay's. One instance per client
 * connection, reused for each of its requests: a request allocates no closures.
 */
export class FastExchange implements UpstreamUser {
  backend: Backend | null = null;
  private upstream: UpstreamConnection | null = null;
  private request: ForwardedRequest | null = null;
  private cookie: string | null = null;
  private startedAt = 0;
  private retried = false;
  private closeClient = false;
  private readonly relay: ResponseRelay;

  constructor(private readonly owner: ExchangeOwner) {
    this.relay = new ResponseRelay(owner);
  }

  get active(): boolean {
    return this.backend !== null;
  }

  start(backend: Backend, request: ForwardedRequest, uid: string | null, now: number): void {
    backend.inflight++;
    this.backend = backend;
    this.request = request;
    this.cookie = uid === null ? null : formatUidCookie(uid);
    this.startedAt = now;
    this.closeClient = request.close;
    this.retried = false;
    this.relay.reset();
    this.upstream = backend.upstreams.acquire(this, false, now);
    this.upstream.socket.write(request.head, 'latin1');
  }

  /** Forwards request body bytes; false when the version should be given time to read them. */
  writeBody(chunk: Buffer): boolean {
    if (this.upstream === null) return true;
    // A long upload is the version being busy, not silent.
    this.upstream.lastActive = performance.now();
    return this.upstream.socket.write(chunk);
  }

  /** The client can take more of the answer. */
  onClientDrain(): void {
    this.upstream?.socket.resume();
  }

  /**
   * The request turned out malformed or stalled mid-body: the version's connection (holding part
   * of it) is dropped and nothing is recorded. True when the client has no byte of an answer yet.
   */
  cancel(): boolean {
    const unanswered = !this.relay.headSent;
    this.abandon();
    return unanswered;
  }

  /** The client went away: the version's work on its behalf is cancelled, nothing is recorded. */
  abandon(): void {
    const backend = this.backend;
    if (backend === null) return;
    backend.inflight--;
    this.backend = null;
    this.dropUpstream();
  }

  onUpstreamData(chunk: Buffer): boolean {
    this.relayAnswer(chunk);
    // Written in full at once (the usual case), the bytes are in the kernel and `chunk` is free.
    return this.owner.socket.writableLength > 0;
  }

  private relayAnswer(chunk: Buffer): void {
    if (this.backend === null) return;
    // A version answering before the whole request body arrived: the client connection then
    // has unread body bytes in it and ends after this answer.
    if (!this.relay.headSent) this.closeClient ||= !this.owner.requestDone;
    const method = (this.request as ForwardedRequest).method;
    switch (this.relay.relay(chunk, method, this.cookie, this.closeClient)) {
      case Relayed.Done:
        return this.finish();
      case Relayed.Blocked:
        this.upstream?.socket.pause();
        this.owner.onAnswerBlocked();
        return;
      case Relayed.Malformed:
        return this.fail();
    }
  }

  /** The version can take more of the request body (the client was paused for it). */
  onUpstreamDrain(): void {
    this.owner.socket.resume();
  }

  onUpstreamEnd(): void {
    if (this.backend !== null && this.relay.headSent && this.relay.untilClose) this.finish();
  }

  onUpstreamClose(err: Error | null): void {
    const backend = this.backend;
    if (backend === null) return;
    const reused = this.upstream?.reused ?? false;
    this.upstream = null;
    if (this.relay.headSent && this.relay.untilClose && err === null) return this.finish();
    // A keep-alive connection the version closed just as it was reused: nothing reached the app,
    // so a body-less request is safe to send again on a fresh connection.
    const request = this.request as ForwardedRequest;
    if (reused && !this.retried && this.relay.untouched && request.body === 0) {
      this.retried = true;
      this.upstream = backend.upstreams.acquire(this, true, performance.now());
      this.upstream.socket.write(request.head, 'latin1');
      return;
    }
    this.fail();
  }

  private finish(): void {
    const backend = this.backend as Backend;
    const now = performance.now();
    backend.inflight--;
    backend.window.record(now, now - this.startedAt, this.relay.status);
    this.backend = null;
    const upstream = this.upstream;
    this.upstream = null;
    if (upstream !== null && !this.relay.upstreamCloses && this.owner.requestDone) {
      backend.upstreams.release(upstream, now);
    } else this.dropUpstream(upstream);
    this.owner.onExchangeDone(this.closeClient || this.relay.untilClose);
  }

  /** The version failed (or answered garbage): 502 if the client has no byte yet, else a cut. */
  private fail(): void {
    (this.backend as Backend).proxyErrors++;
    this.dropUpstream();
    // Part of the answer is out: all the client can be told is that it was cut.
    if (this.relay.headSent) return void this.owner.socket.destroy();
    this.closeClient ||= !this.owner.requestDone;
    this.relay.answerBadGateway();
    this.finish();
  }

  private dropUpstream(upstream = this.upstream): void {
    this.upstream = null;
    if (upstream === null) return;
    upstream.user = null;
    upstream.socket.destroy();
  }
}
