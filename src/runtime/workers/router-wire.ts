import type { FrontCounters, RouterLimits } from '../client/api-types.js';
import type { WireTotals } from '../http/request-totals.js';

/**
 * What the daemon and its router processes say to each other over the IPC channel (structured
 * clone, so the samples travel as typed arrays). Every request carries an id its reply repeats.
 */

/** One version as a router process routes to it; the daemon's routing table, flattened. */
export interface WireEntry {
  digest: string;
  port: number;
  weight: number;
  healthy: boolean;
}

export interface WireTable {
  header: string;
  groupId: string;
  /** newest version first, as buildRoutingTable wants them */
  entries: WireEntry[];
  /** this process's limits (its share of the environment's connection cap) */
  limits: RouterLimits;
}

/** Finished requests of some versions: latency (ms) and status, index by index. */
export interface SampleBatch {
  latencies: Float32Array;
  statuses: Uint16Array;
}

export function emptySampleBatch(): SampleBatch {
  return { latencies: new Float32Array(0), statuses: new Uint16Array(0) };
}

/**
 * Per digest: requests in flight and 502s answered for it, in one router process, and (for
 * `/metrics`) every request it answered since the process started.
 */
export type BackendCounters = Record<string, { inflight: number; proxyErrors: number; totals?: WireTotals }>;

/** What a router process answers to `counters`. */
export interface ProcessCounters {
  backends: BackendCounters;
  front: FrontCounters;
}

/** Daemon → router process. `listen` comes with the listening server as the message's handle. */
export type WorkerRequest =
  | { type: 'listen'; id: number; environment: string }
  | { type: 'close'; id: number; environment: string }
  | { type: 'table'; id: number; environment: string; table: WireTable }
  | { type: 'drain'; id: number; environment: string; digest: string; timeoutMs: number }
  /** the last `windowMs`, on the router process's own monotonic clock */
  | { type: 'samples'; id: number; environment: string; digests: string[]; windowMs: number }
  | { type: 'counters'; id: number; environment: string };

/** Distributes Omit over the union, so each request keeps its own fields. */
export type WorkerCommand = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
