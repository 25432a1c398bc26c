import type { PrometheusMetricsConfig } from '../../core/schema/metrics-config.js';

export type QueryName =
  'requests' | 'error_rate_5xx' | 'latency_p95_ms' | 'cpu_percent' | 'latency_histogram';

const S = '{environment="{{environment}}",version=~"{{version}}"}';
const S5 = '{environment="{{environment}}",version=~"{{version}}",code="5xx"}';
const REQ = 'cutover_http_requests_total';
const BUCKET = 'cutover_http_request_duration_seconds_bucket';

// A counter's growth over the window as the difference of two instant values, not increase():
// increase() extrapolates to the window's edges and gives 99.7 for 100 requests. A series born
// inside the window had nothing before it (`or vector(0)`).
const growth = (m: string, s: string) => `(sum(${m}${s}) - (sum(${m}${s} offset {{window}}) or vector(0)))`;
const bucketGrowth = `(sum by (le) (${BUCKET}${S}) - (sum by (le) (${BUCKET}${S} offset {{window}}) or 0 * sum by (le) (${BUCKET}${S})))`;

/**
 * The default queries: they read the names the runtime's `/metrics` exposes
 * (runtime/daemon/metrics-exposition.ts), so an environment whose Prometheus scrapes the runtime
 * needs no query of its own.
 */
export const DEFAULT_QUERIES: Record<QueryName, string> = {
  requests: `clamp_min(${growth(REQ, S)}, 0)`,
  error_rate_5xx: `100 * ${growth(REQ, S5)} / ${growth(REQ, S)}`,
  latency_p95_ms: `1000 * histogram_quantile(0.95, ${bucketGrowth})`,
  cpu_percent: `100 * sum(rate(cutover_version_cpu_seconds_total${S}[{{window}}]))`,
  latency_histogram: bucketGrowth,
};

export interface QueryVariables {
  service: string;
  /** one image digest, or undefined for every version serving */
  digest: string | undefined;
  environment: string;
  windowMs: number;
}

/** The query `name` of `config` (or its default) with its variables filled in. */
export function renderQuery(config: PrometheusMetricsConfig, name: QueryName, v: QueryVariables): string {
  const template = config.queries[name] ?? DEFAULT_QUERIES[name];
  const values: Record<string, string> = {
    service: v.service,
    // a regex label matcher: a digest has no regex metacharacter but the dot-free `sha256:` form
    version: v.digest ?? '.+',
    environment: v.environment,
    window: `${Math.max(1, Math.round(v.windowMs))}ms`,
  };
  return template.replace(
    /\{\{\s*(service|version|environment|window)\s*\}\}/g,
    (_, key: string) => values[key]!,
  );
}
