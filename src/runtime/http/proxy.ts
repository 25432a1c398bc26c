import { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Backend } from './backend.js';
import { isHopByHop, prepareHeaders } from './proxy-headers.js';
import { formatUidCookie } from './sticky-key.js';

/**
 * The router's per-request state lives on the response object itself (node:http builds it from
 * this class) and on one handler object per upstream request: proxying allocates no closures.
 */
export class TrackedResponse extends ServerResponse<IncomingMessage> {
  backend: Backend | null = null;
  exchange: Exchange | null = null;
  startedAt = 0;
  /** a sticky id minted for this client, sent back as a cookie */
  uid: string | null = null;
  hasBody = false;
  settled = false;
  /** how long the client may leave the answer unread before it is cut (body_idle_timeout) */
  stallLimitMs = 0;
  /** told when the client was cut for not reading (the router counts it) */
  onStall: (() => void) | null = null;
}

const BAD_GATEWAY = Buffer.from('{"code":"E_BAD_GATEWAY","message":"the version did not answer"}\n');
const BAD_GATEWAY_HEADERS = { 'content-type': 'application/json', 'content-length': BAD_GATEWAY.length };
const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Sends `req` to `backend` (already counted in flight) and streams the answer back into `res`. */
export function forwardRequest(req: IncomingMessage, res: TrackedResponse, backend: Backend): void {
  res.hasBody = prepareHeaders(req);
  dispatch(req, res, backend, false);
}

function dispatch(req: IncomingMessage, res: TrackedResponse, backend: Backend, retried: boolean): void {
  const exchange = new Exchange(res, backend, retried);
  res.exchange = exchange;
  backend.pool.dispatch(
    {
      method: req.method as Dispatcher.HttpMethod,
      path: req.url ?? '/',
      headers: req.headers,
      body: res.hasBody ? req : null,
    },
    exchange,
  );
}

/** Accounts for a finished (or abandoned) response; registered once per request on `res`. */
export function onDownstreamClose(this: TrackedResponse): void {
  const backend = this.backend;
  if (backend === null) return;
  this.settled = true;
  backend.inflight--;
  if (this.writableFinished) {
    const now = performance.now();
    backend.window.record(now, now - this.startedAt, this.statusCode);
  } else {
    // The client went away: stop the version's work on its behalf.
    this.exchange?.abort?.();
  }
}

/** undici's handler for one upstream request: writes what the version answers into `res`. */
class Exchange implements Dispatcher.DispatchHandlers {
  abort: ((err?: Error) => void) | null = null;
  private resume: (() => void) | null = null;
  private stall: NodeJS.Timeout | null = null;

  constructor(
    private readonly res: TrackedResponse,
    private readonly backend: Backend,
    private readonly retried: boolean,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.res.settled) abort();
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    const res = this.res;
    if (res.settled) return false;
    this.resume = resume;
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = (raw[i] as Buffer).toString('latin1');
      if (!isHopByHop(name)) headers.push(name, (raw[i + 1] as Buffer).toString('latin1'));
    }
    if (res.uid !== null) headers.push('set-cookie', formatUidCookie(res.uid));
    res.writeHead(statusCode, statusText, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.settled) return false;
    const flowing = this.res.write(chunk);
    if (!flowing && this.resume !== null) {
      this.res.once('drain', this.drained);
      // A client that never reads would hold its connection and the version's forever.
      if (this.res.stallLimitMs > 0) this.stall ??= setTimeout(this.stalled, this.res.stallLimitMs);
    }
    return flowing;
  }

  private readonly drained = (): void => {
    if (this.stall !== null) clearTimeout(this.stall);
    this.stall = null;
    this.resume?.();
  };

  private readonly stalled = (): void => {
    this.stall = null;
    if (this.res.settled) return;
    this.res.onStall?.();
    this.abort?.();
    this.res.destroy();
  };

  onComplete(): void {
    if (!this.res.settled) this.res.end();
  }

  onError(err: Error & { code?: string }): void {
    const res = this.res;
    if (res.exchange !== this || res.settled) return;
    // A keep-alive connection the version closed just as it was reused: nothing reached the app,
    // so a body-less request is safe to send again on a fresh connection.
    if (!this.retried && !res.headersSent && !res.hasBody && RETRYABLE.has(err.code ?? '')) {
      dispatch(res.req, res, this.backend, true);
      return;
    }
    this.backend.proxyErrors++;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, BAD_GATEWAY_HEADERS);
    res.end(BAD_GATEWAY);
  }
}
