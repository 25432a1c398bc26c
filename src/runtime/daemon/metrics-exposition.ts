import { collectDefaultMetrics, Counter, Histogram, Registry, type Metric } from 'prom-client';
import { LATENCY_BOUNDS_SECONDS } from '../http/request-totals.js';
import type { VersionTotals } from './version-totals.js';

/** The names the Prometheus metrics adapter's default queries read (adapters/metrics/promql-queries.ts). */
export const METRIC_NAMES = {
  requests: 'cutover_http_requests_total',
  duration: 'cutover_http_request_duration_seconds',
  inflight: 'cutover_http_requests_in_flight',
  cpu: 'cutover_version_cpu_seconds_total',
  info: 'cutover_version_info',
} as const;

const CLASSES = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'];

type Value = { value: number; labels: Record<string, string>; metricName?: string };

/**
 * A metric whose values are computed at scrape time from what the router processes counted.
 * prom-client's own Counter and Histogram count in this process only; these values are summed
 * over several processes, so they are handed to its registry already made (its documented
 * shape: `get()` returning `{name, help, type, values}`).
 */
function computed(name: string, help: string, type: string, values: () => Value[]): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
    reset: () => undefined,
  };
  return metric as unknown as Metric;
}

export interface RuntimeExposition {
  registry: Registry;
  /** sets what the next `registry.metrics()` reports (call it just before) */
  update(totals: VersionTotals[]): void;
  /** a deploy finished: DORA-style counts (result; rollbacks; time to restore when rolled back) */
  recordDeploy(
    environment: string,
    result: 'success' | 'failed' | 'rolled_back',
    restoreSeconds?: number,
  ): void;
}

/**
 * The runtime's `/metrics`: per environment and version (label `version` = image digest, the
 * label the Prometheus adapter selects by), requests by status class, a latency histogram,
 * requests in flight and CPU seconds; per deploy, DORA-style counters the CLI reports at the end
 * of each deploy; and the daemon's own process metrics.
 */
export function createRuntimeExposition(): RuntimeExposition {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cutover_daemon_' });
  let current: VersionTotals[] = [];
  const labels = (v: VersionTotals) => ({ environment: v.environment, version: v.digest });
  registry.registerMetric(
    computed(METRIC_NAMES.requests, 'Requests the router answered, by status class', 'counter', () =>
      current.flatMap((v) =>
        v.requests.classes.flatMap((n, i) =>
          n > 0 || i === 2 || i === 5 ? [{ value: n, labels: { ...labels(v), code: CLASSES[i]! } }] : [],
        ),
      ),
    ),
  );
  registry.registerMetric(
    computed(METRIC_NAMES.duration, 'Latency of the requests the router answered', 'histogram', () =>
      current.flatMap((v) => {
        let cumulative = 0;
        const out: Value[] = v.requests.buckets.map((n, i) => {
          cumulative += n;
          const le = i < LATENCY_BOUNDS_SECONDS.length ? String(LATENCY_BOUNDS_SECONDS[i]) : '+Inf';
          return {
            value: cumulative,
            labels: { ...labels(v), le },
            metricName: `${METRIC_NAMES.duration}_bucket`,
          };
        });
        out.push({
          value: v.requests.sumSeconds,
          labels: labels(v),
          metricName: `${METRIC_NAMES.duration}_sum`,
        });
        out.push({ value: cumulative, labels: labels(v), metricName: `${METRIC_NAMES.duration}_count` });
        return out;
      }),
    ),
  );
  registry.registerMetric(
    computed(METRIC_NAMES.inflight, 'Requests in flight to the version', 'gauge', () =>
      current.map((v) => ({ value: v.inflight, labels: labels(v) })),
    ),
  );
  registry.registerMetric(
    computed(METRIC_NAMES.cpu, "CPU seconds the version's process used", 'counter', () =>
      current.flatMap((v) => (v.cpuSeconds === null ? [] : [{ value: v.cpuSeconds, labels: labels(v) }])),
    ),
  );
  registry.registerMetric(
    computed(METRIC_NAMES.info, 'The tag of each version (value 1)', 'gauge', () =>
      current.map((v) => ({ value: 1, labels: { ...labels(v), tag: v.tag } })),
    ),
  );
  const deploys = new Counter({
    name: 'cutover_deploys_total',
    help: 'Deploys finished, by result',
    labelNames: ['environment', 'result'],
    registers: [registry],
  });
  const rollbacks = new Counter({
    name: 'cutover_rollbacks_total',
    help: 'Deploys rolled back',
    labelNames: ['environment'],
    registers: [registry],
  });
  const restore = new Histogram({
    name: 'cutover_time_to_restore_seconds',
    help: 'From the failure a rollback answered to the previous version serving again',
    labelNames: ['environment'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  });
  return {
    registry,
    update: (totals) => (current = totals),
    recordDeploy(environment, result, restoreSeconds) {
      deploys.inc({ environment, result });
      if (result !== 'rolled_back') return;
      rollbacks.inc({ environment });
      if (restoreSeconds !== undefined) restore.observe({ environment }, restoreSeconds);
    },
  };
}
