import type { PrometheusMetricsConfig } from '../../core/schema/metrics-config.js';
import type { Metrics, MetricsSnapshot, RequestSample } from '../../ports/metrics.js';
import { queryPrometheus } from './prometheus-api.js';
import { toHistogram } from './prometheus-histogram.js';
import { renderQuery, type QueryName } from './promql-queries.js';

// A query never takes longer than this, nor longer than the window it measures.
const MAX_QUERY_MS = 10_000;

export interface PrometheusMetricsOptions {
  config: PrometheusMetricsConfig;
  environment: string;
  /** `{{service}}` in the queries: the changeset's service (see `forService`) */
  service?: string;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Canary metrics from the team's Prometheus (issue 16): each value is one PromQL template of
 * cutover.yaml (defaults: promql-queries.ts). Three outcomes are never confused: a query with no
 * series (the value is null and the query is named in `missing`), too few requests (nulls, with
 * the count in `samples`), and a value. NaN (no traffic in a ratio) is no data, never 0.
 *
 * @example
 * const metrics = createPrometheusMetrics({ config: { type: 'prometheus', url, queries: {} }, environment: 'production' });
 * const canary = await metrics.snapshot(digest, 120_000, 50);
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): Metrics {
  const { config, environment } = options;
  const ask = async (name: QueryName, digest: string | undefined, windowMs: number) => {
    const query = renderQuery(config, name, {
      service: options.service ?? '',
      digest,
      environment,
      windowMs,
    });
    const timeout = Math.max(1000, Math.min(MAX_QUERY_MS, windowMs));
    return queryPrometheus(config.url, query, name, timeout);
  };
  /** One number: undefined for no series; the series summed when several came back. */
  const value = async (name: QueryName, digest: string | undefined, windowMs: number) => {
    const { series } = await ask(name, digest, windowMs);
    if (series.length === 0) return undefined;
    if (series.some((s) => s.value === null)) return null;
    return series.reduce((sum, s) => sum + (s.value as number), 0);
  };

  async function snapshot(
    digest: string | undefined,
    windowMs: number,
    minSamples: number,
  ): Promise<MetricsSnapshot> {
    const count = await value('requests', digest, windowMs);
    const samples = count === undefined || count === null ? 0 : Math.round(count);
    const none = {
      latency_p95_ms: null,
      error_rate_5xx: null,
      cpu_percent: null,
      samples,
      window_ms: windowMs,
    };
    if (count === undefined || samples === 0 || samples < minSamples) return none;
    const [errors, p95, cpu] = await Promise.all(
      (['error_rate_5xx', 'latency_p95_ms', 'cpu_percent'] as const).map((q) => value(q, digest, windowMs)),
    );
    const missing = (
      [
        ['error_rate_5xx', errors],
        ['latency_p95_ms', p95],
      ] as const
    )
      .filter(([, v]) => v === undefined)
      .map(([q]) => q);
    return {
      latency_p95_ms: typeof p95 === 'number' ? round(p95, 1) : null,
      error_rate_5xx: typeof errors === 'number' ? round(errors, 2) : null,
      cpu_percent: typeof cpu === 'number' ? round(cpu, 1) : null,
      samples,
      window_ms: windowMs,
      ...(missing.length > 0 ? { missing } : {}),
    };
  }

  async function requests(digest: string | undefined, windowMs: number): Promise<RequestSample> {
    const count = await value('requests', digest, windowMs);
    const total = typeof count === 'number' ? Math.round(count) : 0;
    const empty: RequestSample = {
      requests: 0,
      errors_5xx: 0,
      latency: { buckets: [] },
      window_ms: windowMs,
    };
    if (count === undefined || total === 0) return empty;
    const [rate, histogram] = await Promise.all([
      value('error_rate_5xx', digest, windowMs),
      ask('latency_histogram', digest, windowMs),
    ]);
    const latency = toHistogram(histogram.series);
    const missing = [
      ...(rate === undefined ? ['error_rate_5xx'] : []),
      ...(histogram.series.length === 0 ? ['latency_histogram'] : []),
    ];
    return {
      requests: total,
      errors_5xx: typeof rate === 'number' ? Math.round((rate / 100) * total) : 0,
      latency,
      window_ms: windowMs,
      ...(missing.length > 0 ? { missing } : {}),
    };
  }

  return {
    name: 'prometheus',
    snapshot,
    requests,
    forService: (service) => createPrometheusMetrics({ ...options, service }),
  };
}
