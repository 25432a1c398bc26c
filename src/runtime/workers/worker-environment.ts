import { Backend } from '../http/backend.js';
import type { FlagSource } from '../ofrep/flag-source.js';
import { addTotals, emptyTotals } from '../http/request-totals.js';
import { createOfrepHandler } from '../ofrep/ofrep-handler.js';
import { Router } from '../http/router.js';
import type { ProcessCounters, SampleBatch, WireEntry, WireTable } from './router-wire.js';
import { buildRoutingTable } from '../http/routing-table.js';

/**
 * One environment inside a router process: a Router on the daemon's listening socket, and its
 * own connections and request windows per version. A backend leaves when the daemon drains its
 * version, never merely because a table stopped naming it: requests to it may still be in flight.
 */
export class WorkerEnvironment {
  readonly router: Router;
  /** keyed by digest and port: a version started again after a crash is a new backend */
  private readonly backends = new Map<string, Backend>();
  private routed = new Set<Backend>();

  constructor(name: string, flags: FlagSource) {
    this.router = new Router(name, createOfrepHandler(name, flags));
  }

  setTable(table: WireTable): void {
    const entries = table.entries.map((e) => ({
      backend: this.backend(e),
      weight: e.weight,
      healthy: e.healthy,
    }));
    this.routed = new Set(entries.map((e) => e.backend));
    this.router.setTable(buildRoutingTable(table.header, table.groupId, entries));
    this.router.setLimits(table.limits);
  }

  /**
   * Waits for the version's requests here to finish, then closes its connections unless the
   * current table still routes to it (the daemon drains a version after taking it out).
   */
  async drain(digest: string, timeoutMs: number): Promise<boolean> {
    const ofVersion = [...this.backends].filter(([, b]) => b.digest === digest);
    const drained = await Promise.all(ofVersion.map(([, b]) => b.waitUntilDrained(timeoutMs)));
    for (const [key, backend] of ofVersion) {
      if (this.routed.has(backend)) continue;
      backend.dispose();
      this.backends.delete(key);
    }
    return drained.every(Boolean);
  }

  /** The windows are stamped with this process's performance.now(), as is the daemon's: no clock crosses. */
  samples(digests: string[], windowMs: number): SampleBatch {
    const latencies: number[] = [];
    const statuses: number[] = [];
    const visit = (latencyMs: number, status: number): void => {
      latencies.push(latencyMs);
      statuses.push(status);
    };
    const localSince = performance.now() - windowMs;
    for (const backend of this.backends.values()) {
      if (digests.includes(backend.digest)) backend.window.forEachSince(localSince, visit);
    }
    return { latencies: Float32Array.from(latencies), statuses: Uint16Array.from(statuses) };
  }

  counters(): ProcessCounters {
    const backends: ProcessCounters['backends'] = {};
    for (const backend of this.backends.values()) {
      const c = (backends[backend.digest] ??= { inflight: 0, proxyErrors: 0, totals: emptyTotals() });
      c.inflight += backend.inflight;
      c.proxyErrors += backend.proxyErrors;
      addTotals(c.totals!, backend.window.totals.toWire());
    }
    return { backends, front: this.router.counters };
  }

  /** Stops accepting, lets the requests in flight finish, then closes every upstream connection. */
  async close(): Promise<void> {
    await this.router.close();
    for (const backend of this.backends.values()) backend.dispose();
    this.backends.clear();
  }

  private backend(entry: WireEntry): Backend {
    const key = `${entry.digest}@${entry.port}`;
    let backend = this.backends.get(key);
    if (!backend) this.backends.set(key, (backend = new Backend(entry.digest, entry.port)));
    return backend;
  }
}
