import { DEFAULT_ROUTER_LIMITS } from '../../core/schema/config.js';
import type { FrontCounters, RouterLimits } from '../client/api-types.js';

export const DEFAULT_LIMITS: RouterLimits = {
  header_timeout_ms: DEFAULT_ROUTER_LIMITS.header_timeout,
  body_idle_timeout_ms: DEFAULT_ROUTER_LIMITS.body_idle_timeout,
  max_connections: DEFAULT_ROUTER_LIMITS.max_connections,
};

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
