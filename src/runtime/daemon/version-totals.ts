import { addTotals, emptyTotals, type WireTotals } from '../http/request-totals.js';
import type { Runtime } from './runtime.js';

/** One version's totals since it started, summed over the daemon and every router process. */
export interface VersionTotals {
  environment: string;
  /** the image digest: what cutover measures a version by */
  digest: string;
  tag: string;
  requests: WireTotals;
  inflight: number;
  /** CPU seconds its process used, as of the last per-second sample; null before the first */
  cpuSeconds: number | null;
}

/**
 * What `/metrics` reports, read once per scrape. A router process that died and came back
 * starts its totals from zero again: the sum then drops, which Prometheus reads as a counter reset.
 */
export async function gatherVersionTotals(runtime: Runtime): Promise<VersionTotals[]> {
  const all: VersionTotals[] = [];
  for (const env of runtime.environments.values()) {
    const elsewhere = await runtime.workers.counters(env.name);
    for (const version of env.versions.newestFirst()) {
      const requests = emptyTotals();
      addTotals(requests, version.backend.window.totals.toWire());
      const other = elsewhere.backends[version.digest];
      if (other?.totals) addTotals(requests, other.totals);
      all.push({
        environment: env.name,
        digest: version.digest,
        tag: version.release.tag,
        requests,
        inflight: version.backend.inflight + (other?.inflight ?? 0),
        cpuSeconds: version.cpu.totalSeconds,
      });
    }
  }
  return all;
}
