import { CutoverError, isCutoverError } from '../../core/errors.js';
import { latenciesOf } from '../../core/stats/latency-histogram.js';
import type { Metrics, MetricsSnapshot, RequestSample } from '../../ports/metrics.js';
import type { RuntimeClient } from '../../runtime/client/daemon-control.js';

/** One host's agent, as the fleet's metrics read it. */
export interface MeasuredHost {
  host: string;
  withAgent<T>(act: (client: RuntimeClient) => Promise<T>): Promise<T>;
}

/**
 * An ssh target's metrics, merged from every host's router: request and 5xx counts are summed and
 * latencies merged into one histogram before the p95 is taken (a p95 of p95s would hide one slow
 * host); CPU is the mean over the hosts that report it (each host's share of one core). A host
 * whose agent does not answer is `E_BASELINE_UNAVAILABLE` naming it: a verdict from the hosts
 * that answered would judge a canary on part of its traffic.
 */
export function createFleetMetrics(environment: string, hosts: MeasuredHost[]): Metrics {
  const fromEvery = <T>(read: (client: RuntimeClient) => Promise<T>, empty: T): Promise<T[]> =>
    Promise.all(
      hosts.map((h) =>
        h.withAgent(read).catch((err: unknown) => {
          if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return empty;
          const why = err instanceof Error ? err.message : String(err);
          throw new CutoverError(
            'E_BASELINE_UNAVAILABLE',
            `cannot read metrics of ${environment} from ${h.host}: ${why}`,
            { environment, host: h.host },
            err,
          );
        }),
      ),
    );

  const requests = async (digest: string | undefined, windowMs: number): Promise<RequestSample> => {
    const empty: RequestSample = {
      requests: 0,
      errors_5xx: 0,
      latency: { buckets: [] },
      window_ms: windowMs,
    };
    return mergeSamples(await fromEvery((c) => c.requests(environment, digest, windowMs), empty), windowMs);
  };

  const snapshot = async (
    digest: string | undefined,
    windowMs: number,
    minSamples: number,
  ): Promise<MetricsSnapshot> => {
    const merged = await requests(digest, windowMs);
    const cpus = (await fromEvery((c) => c.metrics(environment, digest, windowMs, 1), null))
      .map((m) => m?.cpu_percent)
      .filter((v): v is number => typeof v === 'number');
    const enough = merged.requests > 0 && merged.requests >= minSamples;
    const latencies = latenciesOf(merged.latency);
    return {
      latency_p95_ms: enough ? round(nearestRank(latencies, 0.95), 1) : null,
      error_rate_5xx: enough ? round((merged.errors_5xx / merged.requests) * 100, 2) : null,
      cpu_percent: cpus.length > 0 ? round(cpus.reduce((a, b) => a + b, 0) / cpus.length, 1) : null,
      samples: merged.requests,
      window_ms: windowMs,
    };
  };

  return { name: 'fleet', snapshot, requests };
}

/** Counts summed, histograms merged bucket by bucket. */
export function mergeSamples(samples: RequestSample[], windowMs: number): RequestSample {
  const buckets = new Map<number, number>();
  let requests = 0;
  let errors = 0;
  for (const s of samples) {
    requests += s.requests;
    errors += s.errors_5xx;
    for (const [index, count] of s.latency.buckets) buckets.set(index, (buckets.get(index) ?? 0) + count);
  }
  return {
    requests,
    errors_5xx: errors,
    latency: { buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]) },
    window_ms: windowMs,
  };
}

/** Nearest-rank percentile of ascending values, as the runtime's own summary takes it. */
function nearestRank(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
