import type { Socket } from 'node:net';
import type { FrontCounters, RouterLimits } from '../client/api-types.js';
import type { RoutingTable } from './routing-table.js';

/**
 * What both fronts of a router, the fast path and node:http, read from it on each request: the
 * routing table and limits of the moment (each swapped whole), and the counters of what they refuse.
 */
export interface FrontHost {
  routingTable(): RoutingTable;
  limits(): RouterLimits;
  readonly counters: FrontCounters;
}

/** The client side of a fast-path exchange, as the exchange needs it. */
export interface ExchangeOwner {
  readonly socket: Socket;
  /** the whole request body has gone to the version */
  readonly requestDone: boolean;
  onExchangeDone(closeClient: boolean): void;
  /** the client is not taking the answer as fast as it comes: the version is paused */
  onAnswerBlocked(): void;
}
