import type { RouterLimits } from '../client/api-types.js';
import type { WireTable } from '../workers/router-wire.js';
import { buildRoutingTable, type RoutingTable } from '../http/routing-table.js';
import type { Version } from './version.js';

export interface Routing {
  /** for the daemon's own router */
  table: RoutingTable;
  /** the same routing, for the router processes */
  wire: WireTable;
}

/** Routing for the versions not being stopped, newest first, at their weights (0 when none). */
export function routingOf(
  newestFirst: Version[],
  weights: Record<string, number>,
  header: string,
  groupId: string,
  /** one process's share of the environment's limits */
  limits: RouterLimits,
): Routing {
  const entries = newestFirst
    .filter((v) => v.state !== 'stopping')
    .map((v) => ({ version: v, weight: weights[v.digest] ?? 0, healthy: v.serving }));
  const table = buildRoutingTable(
    header,
    groupId,
    entries.map((e) => ({ backend: e.version.backend, weight: e.weight, healthy: e.healthy })),
  );
  const wire = {
    header,
    groupId,
    limits,
    entries: entries.map((e) => ({
      digest: e.version.digest,
      port: e.version.backend.port,
      weight: e.weight,
      healthy: e.healthy,
    })),
  };
  return { table, wire };
}
