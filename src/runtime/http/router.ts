import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { CutoverError } from '../../core/errors.js';
import { closeRouterServer } from './close-server.js';
import { FastConnection } from './fast-connection.js';
import type { FastPathHost, FastSocket } from './fast-socket.js';
import { OVER_CAPACITY } from './http1/front-answers.js';
import { startSweeping, stopSweeping, type Sweepable } from './idle-sweep.js';
import { createNodeFront, type NodeFrontHost, type RouterServer } from './node-front.js';
import { OFREP_PREFIX, type OfrepHandler } from '../ofrep/ofrep-handler.js';
import { DEFAULT_LIMITS, zeroCounters } from './router-limits.js';
import type { FrontCounters, RouterLimits } from '../client/api-types.js';
import { buildRoutingTable, type RoutingTable } from './routing-table.js';

// Paths the router answers itself rather than proxying: the fast path leaves them to node:http.
const OWN_PATHS: readonly string[] = [OFREP_PREFIX];

/**
 * The HTTP front of one environment on 127.0.0.1 (or its host's address): picks a version per request from the current
 * routing table and proxies to it. The table is swapped whole (`setTable`), never edited.
 *
 * Connections start on the fast path (fast-connection.ts), which relays plain HTTP/1.1 on the
 * sockets themselves at a fraction of node:http's cost per request; anything else is handed to
 * the node:http server (node-front.ts), which then keeps that connection. Both enforce the same
 * limits (`setLimits`) and count what they refuse in `counters`.
 */
export class Router implements Sweepable, FastPathHost, NodeFrontHost {
  readonly counters: FrontCounters = zeroCounters();
  readonly tunnels = new Set<Socket>();
  private table: RoutingTable = buildRoutingTable('x-user-id', '', []);
  private current: RouterLimits = DEFAULT_LIMITS;
  private server: RouterServer | null = null;
  private fast = new Set<FastSocket>();
  /** connections node:http holds (handed over by the fast path) */
  private slow = 0;

  /** @param ofrep answers `/ofrep/v1/…` itself: flags are the runtime's, not the app's */
  constructor(
    readonly environment: string,
    readonly ofrep: OfrepHandler | null = null,
    /** the address it listens on: loopback, or a fleet host's (CUTOVER_ROUTER_HOST) */
    readonly host = '127.0.0.1',
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  routingTable(): RoutingTable {
    return this.table;
  }

  setTable(table: RoutingTable): void {
    this.table = table;
  }

  limits(): RouterLimits {
    return this.current;
  }

  /** `limits.max_connections` is this router's own cap (its share of the environment's). */
  setLimits(limits: RouterLimits): void {
    this.current = limits;
    if (this.server !== null) this.server.headersTimeout = limits.header_timeout_ms;
  }

  ownsTarget(target: string): boolean {
    return OWN_PATHS.some((path) => target.startsWith(path));
  }

  handOver(socket: Socket, pending: Buffer | null): void {
    const server = this.server;
    if (server === null) return void socket.destroy();
    this.slow++;
    socket.once('close', () => this.slow--);
    server.emit('node-connection', socket);
    // Handed to node:http's parser as if just read: it reads the socket's handle directly from
    // here on, so bytes put back into the stream (unshift) could reach it out of order.
    if (pending !== null) socket.emit('data', pending);
  }

  forget(conn: FastSocket): void {
    this.fast.delete(conn);
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
    const server = createNodeFront(this);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (typeof target === 'number') server.listen(port, this.host, listening);
      else server.listen(target, listening);
    }).catch((err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'address in use' : err.message;
      throw new CutoverError(
        'E_RUNTIME_UNAVAILABLE',
        `cannot listen on ${this.host}:${port} for environment ${this.environment}: ${reason}`,
        { environment: this.environment, port },
        err,
      );
    });
    const previous = this.server;
    const previousFast = this.fast;
    this.server = server;
    this.fast = this.takeConnections(server);
    startSweeping(this);
    await opened?.(server);
    if (previous) await closeRouterServer(previous, previousFast, new Set());
  }

  /** Stops accepting connections; requests in flight finish (their connections then close). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    stopSweeping(this);
    if (server) await closeRouterServer(server, this.fast, this.tunnels);
  }

  sweep(now: number): void {
    for (const conn of this.fast) conn.sweep(now);
  }

  /** New connections go to the fast path, or get a 503 over the cap; node:http gets those handed over. */
  private takeConnections(server: RouterServer): Set<FastSocket> {
    const [nodeHttp] = server.listeners('connection') as Array<(socket: Socket) => void>;
    if (nodeHttp === undefined) throw new Error('node:http registered no connection listener');
    server.removeAllListeners('connection');
    server.on('node-connection', (socket: Socket) => nodeHttp.call(server, socket));
    const fast = new Set<FastSocket>();
    server.on('connection', (socket: Socket) => {
      if (fast.size + this.slow >= this.current.max_connections) return this.turnAway(socket);
      fast.add(new FastConnection(socket, this));
    });
    return fast;
  }

  private turnAway(socket: Socket): void {
    this.counters.over_capacity++;
    socket.on('error', () => undefined);
    // Read (and drop) what the client sent, so closing does not reset the 503 away.
    socket.resume();
    socket.end(OVER_CAPACITY);
    socket.setTimeout(5000, () => socket.destroy());
  }
}
