import { Pool } from 'undici';
import { RequestWindow } from './request-window.js';
import { UpstreamPool } from './upstream.js';

/**
 * One version's process as the router sees it: where to send requests, how many are in flight,
 * and what happened to the finished ones. Counters are plain fields, bumped on the hot path.
 */
export class Backend {
  readonly host = '127.0.0.1';
  /** for requests node:http parsed (the router's slow path) */
  readonly pool: Pool;
  /** keep-alive connections of the fast path */
  readonly upstreams: UpstreamPool;
  readonly window = new RequestWindow();
  inflight = 0;
  proxyErrors = 0;

  constructor(
    readonly digest: string,
    readonly port: number,
  ) {
    // Keep-alive connections, no pipelining: one request per connection at a time, like a browser.
    this.pool = new Pool(`http://${this.host}:${port}`, { pipelining: 1 });
    this.upstreams = new UpstreamPool(this.host, port);
  }

  /** Resolves once no request is in flight, or after `timeoutMs`; true when it drained. */
  async waitUntilDrained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  dispose(): void {
    void this.pool.destroy().catch(() => undefined);
    this.upstreams.destroy();
  }
}
