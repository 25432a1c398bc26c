import { createServer, IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { bucketOf } from '../../core/bucketing.js';
import type { Backend } from './backend.js';
import type { FrontHost } from './front-contracts.js';
import {
  BAD_REQUEST,
  BAD_REQUEST_BODY,
  errorBody,
  MAX_HEAD_BYTES,
  METHOD_NOT_ALLOWED,
  NO_VERSION_ANSWER,
} from './http1/front-answers.js';
import { inTurn } from './in-turn.js';
import { refuseClient, watchBodyIdle } from './node-front-limits.js';
import { OFREP_PREFIX, type OfrepHandler } from '../ofrep/ofrep-handler.js';
import { forwardRequest, onDownstreamClose, TrackedResponse } from './proxy.js';
import type { RoutingTable } from './routing-table.js';
import { mintUid, readStickyKey } from './sticky-key.js';
import { tunnelUpgrade } from './upgrade-tunnel.js';

export type RouterServer = Server<typeof IncomingMessage, typeof TrackedResponse>;

/** What the node:http side of a router reads from it on each request. */
export interface NodeFrontHost extends FrontHost {
  readonly ofrep: OfrepHandler | null;
  /** upgraded connections, which node:http's close no longer reaches */
  readonly tunnels: Set<Socket>;
}

const NO_VERSION = Buffer.from(errorBody('E_NO_VERSION', 'no version serves this environment'));
const NO_VERSION_HEADERS = { 'content-type': 'application/json', 'content-length': NO_VERSION.length };

/**
 * The router's node:http server: it gets every connection the fast path hands over (anything
 * but plain HTTP/1.1) and parses it with llhttp in its strict default mode. Its refusals (400,
 * 431, 408) are the same answers as the fast path's, counted the same way; pipelined requests go
 * to the version in order; the sticky key is read by the fast path's rule; a request without
 * Host goes on with an empty one (RFC 9112 §3.2), never an invented one; upgrades are tunnelled.
 */
export function createNodeFront(host: NodeFrontHost): RouterServer {
  const server: RouterServer = createServer(
    {
      ServerResponse: TrackedResponse,
      noDelay: true,
      maxHeaderSize: MAX_HEAD_BYTES,
      requestTimeout: 0,
      headersTimeout: host.limits().header_timeout_ms,
      // Node checks header timeouts on this tick (30 s by default): a 10 s limit would be 40 s.
      connectionsCheckingInterval: 1000,
    },
    (req, res) => handle(host, req, res),
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => refuseClient(host, err, socket));
  // After 'upgrade' and 'connect' node:http no longer watches the socket: a client that resets
  // it would throw in the daemon. Errors there only end that connection.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, early: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (hostCount(req) > 1) {
      host.counters.bad_requests++;
      return void socket.end(BAD_REQUEST);
    }
    const backend = pick(host.routingTable(), req, null);
    if (backend === null) return void socket.end(NO_VERSION_ANSWER);
    host.counters.upgrades++;
    host.tunnels.add(socket);
    socket.once('close', () => host.tunnels.delete(socket));
    tunnelUpgrade(req, socket, early, backend);
  });
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(METHOD_NOT_ALLOWED);
  });
  return server;
}

function handle(host: NodeFrontHost, req: IncomingMessage, res: TrackedResponse): void {
  if (host.ofrep !== null && (req.url as string).startsWith(OFREP_PREFIX)) return host.ofrep(req, res);
  // RFC 9112 §3.2: more than one Host is a 400, as the fast path (which hands it here) would have it.
  if (hostCount(req) > 1) {
    host.counters.bad_requests++;
    res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
    return void res.end(BAD_REQUEST_BODY);
  }
  inTurn(req.socket, res, () => route(host, req, res));
}

function route(host: NodeFrontHost, req: IncomingMessage, res: TrackedResponse): void {
  // A pipelined request whose client left while the ones before it were answered.
  if (req.socket.destroyed) return;
  const backend = pick(host.routingTable(), req, res);
  if (backend === null) {
    res.writeHead(503, NO_VERSION_HEADERS);
    return void res.end(NO_VERSION);
  }
  if (req.headers.host === undefined) req.headers.host = '';
  backend.inflight++;
  res.backend = backend;
  res.startedAt = performance.now();
  res.on('close', onDownstreamClose);
  res.stallLimitMs = host.limits().body_idle_timeout_ms;
  res.onStall = () => host.counters.body_timeouts++;
  forwardRequest(req, res, backend);
  watchBodyIdle(host, req, res);
}

/** The backend for this request; mints a uid (set as a cookie by `res`) for a client without one. */
function pick(table: RoutingTable, req: IncomingMessage, res: TrackedResponse | null): Backend | null {
  if (table.only !== null || table.empty) return table.only;
  let key = readStickyKey(req, table.header);
  if (key === null) {
    key = mintUid();
    if (res !== null) res.uid = key;
  }
  return table.slots[bucketOf(table.groupId, key) - 1] ?? null;
}

function hostCount(req: IncomingMessage): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') n++;
  }
  return n;
}
