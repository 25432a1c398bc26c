import { createServer, IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { bucketOf } from '../core/bucketing.js';
import { CutoverError } from '../core/errors.js';
import { FastConnection, type FastPathHost } from './fast-connection.js';
import { startSweeping, stopSweeping, type Sweepable } from './idle-sweep.js';
import { OFREP_PREFIX, type OfrepHandler } from './ofrep/ofrep-handler.js';
import { forwardRequest, onDownstreamClose, TrackedResponse } from './proxy.js';
import { buildRoutingTable, type RoutingTable } from './routing-table.js';
import { mintUid, readStickyKey } from './sticky-key.js';

type RouterServer = Server<typeof IncomingMessage, typeof TrackedResponse>;

const NO_VERSION = Buffer.from('{"code":"E_NO_VERSION","message":"no version serves this environment"}\n');
const NO_VERSION_HEADERS = { 'content-type': 'application/json', 'content-length': NO_VERSION.length };
// Paths the router answers itself in `handle` rather than proxying: the fast path leaves them to node:http.
const OWN_PATHS: readonly string[] = [OFREP_PREFIX];

/**
 * The HTTP front of one environment on 127.0.0.1: picks a version per request from the current
 * routing table and proxies to it. The table is swapped whole (`setTable`), never edited.
 *
 * Connections start on the fast path (fast-connection.ts), which relays plain HTTP/1.1 on the
 * sockets themselves at a fraction of node:http's cost per request; anything else is handed to
 * the node:http server and `handle`, which then keep that connection.
 */
export class Router implements Sweepable {
  private table: RoutingTable = buildRoutingTable('x-user-id', '', []);
  private server: RouterServer | null = null;
  private fast = new Set<FastConnection>();

  /** @param ofrep answers `/ofrep/v1/…` itself: flags are the runtime's, not the app's */
  constructor(
    readonly environment: string,
    private readonly ofrep: OfrepHandler | null = null,
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  setTable(table: RoutingTable): void {
    this.table = table;
  }

  /**
   * Listens on `port`; 0 picks a free one, or keeps the current one when already listening.
   * A router process passes the daemon's listening server instead, and accepts on it too.
   * Moving to another port opens the new listener, calls `opened` with it (so the router
   * processes move too), then closes the old one.
   */
  async listen(target: number | NetServer, opened?: (server: NetServer) => Promise<void>): Promise<void> {
    const port = typeof target === 'number' ? target : (target.address() as AddressInfo).port;
    if (typeof target === 'number' && this.server !== null && (port === 0 || port === this.port)) return;
    const server = createServer({ ServerResponse: TrackedResponse, noDelay: true }, this.handle);
    const fast = this.takeConnections(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (typeof target === 'number') server.listen(port, '127.0.0.1', listening);
      else server.listen(target, listening);
    }).catch((err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'address in use' : err.message;
      throw new CutoverError(
        'E_RUNTIME_UNAVAILABLE',
        `cannot listen on 127.0.0.1:${port} for environment ${this.environment}: ${reason}`,
        { environment: this.environment, port },
        err,
      );
    });
    const previous = this.server;
    const previousFast = this.fast;
    this.server = server;
    this.fast = fast;
    startSweeping(this);
    await opened?.(server);
    if (previous) await closeServer(previous, previousFast);
  }

  /** Stops accepting connections; requests in flight finish (their connections then close). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    stopSweeping(this);
    if (server) await closeServer(server, this.fast);
  }

  sweep(now: number): void {
    for (const conn of this.fast) conn.sweep(now);
  }

  /** New connections go to the fast path; node:http's own listener gets those handed over. */
  private takeConnections(server: RouterServer): Set<FastConnection> {
    const [nodeHttp] = server.listeners('connection') as Array<(socket: Socket) => void>;
    if (nodeHttp === undefined) throw new Error('node:http registered no connection listener');
    server.removeAllListeners('connection');
    const fast = new Set<FastConnection>();
    const host: FastPathHost = {
      routingTable: () => this.table,
      ownsTarget: (target) => OWN_PATHS.some((path) => target.startsWith(path)),
      handOver: (socket, pending) => {
        nodeHttp.call(server, socket);
        // Handed to node:http's parser as if just read: it reads the socket's handle directly from
        // here on, so bytes put back into the stream (unshift) could reach it out of order.
        if (pending !== null) socket.emit('data', pending);
      },
      forget: (conn) => fast.delete(conn),
    };
    server.on('connection', (socket: Socket) => fast.add(new FastConnection(socket, host)));
    return fast;
  }

  private readonly handle = (req: IncomingMessage, res: TrackedResponse): void => {
    if (this.ofrep !== null && (req.url as string).startsWith(OFREP_PREFIX)) {
      this.ofrep(req, res);
      return;
    }
    const table = this.table;
    let backend = table.only;
    if (backend === null) {
      if (table.empty) {
        res.writeHead(503, NO_VERSION_HEADERS);
        res.end(NO_VERSION);
        return;
      }
      let key = readStickyKey(req, table.header);
      if (key === null) {
        key = mintUid();
        res.uid = key;
      }
      backend = table.slots[bucketOf(table.groupId, key) - 1] as NonNullable<typeof backend>;
    }
    backend.inflight++;
    res.backend = backend;
    res.startedAt = performance.now();
    res.on('close', onDownstreamClose);
    forwardRequest(req, res, backend);
  };
}

/** Keep-alive clients that hold on to a connection are cut after `graceMs`. */
function closeServer(server: RouterServer, fast: Set<FastConnection>, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      for (const conn of fast) conn.socket.destroy();
    }, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    for (const conn of fast) conn.closeWhenIdle();
  });
}
