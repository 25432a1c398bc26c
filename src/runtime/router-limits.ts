import { DEFAULT_ROUTER_LIMITS } from '../core/schema/config.js';

/** A router's limits, in the admin API's units (see DEFAULT_ROUTER_LIMITS for what each means). */
export interface RouterLimits {
  header_timeout_ms: number;
  body_idle_timeout_ms: number;
  /** for the whole environment; each of its router processes takes its share */
  max_connections: number;
}

export const DEFAULT_LIMITS: RouterLimits = {
  header_timeout_ms: DEFAULT_ROUTER_LIMITS.header_timeout,
  body_idle_timeout_ms: DEFAULT_ROUTER_LIMITS.body_idle_timeout,
  max_connections: DEFAULT_ROUTER_LIMITS.max_connections,
};

/** What a router refused or cut, per process; the daemon sums them for `runtime status`. */
export interface FrontCounters {
  /** malformed requests answered 400 (fast path and node:http) */
  bad_requests: number;
  /** request heads over 64 KiB, answered 431 */
  heads_too_large: number;
  /** heads not complete within header_timeout, answered 408 */
  header_timeouts: number;
  /** request bodies idle longer than body_idle_timeout: 408, or cut when an answer had begun */
  body_timeouts: number;
  /** connections over max_connections, answered 503 */
  over_capacity: number;
  /** WebSocket (or other Upgrade) tunnels opened to a version */
  upgrades: number;
}

export function zeroCounters(): FrontCounters {
  return {
    bad_requests: 0,
    heads_too_large: 0,
    header_timeouts: 0,
    body_timeouts: 0,
    over_capacity: 0,
    upgrades: 0,
  };
}

export function addCounters(into: FrontCounters, more: FrontCounters): void {
  for (const key of Object.keys(into) as Array<keyof FrontCounters>) into[key] += more[key] ?? 0;
}

/** One router process's share of the environment's connection cap: together never more than it (and never 0). */
export function shareOf(limits: RouterLimits, processes: number): RouterLimits {
  return { ...limits, max_connections: Math.max(1, Math.floor(limits.max_connections / processes)) };
}
