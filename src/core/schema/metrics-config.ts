import { z } from 'zod';

const embeddedMetricsSchema = z.strictObject({ type: z.literal('embedded') });

const template = z.string().min(1);

/**
 * The team's Prometheus, through its HTTP API. Each query is a PromQL template with `{{service}}`,
 * `{{version}}` (a regex: the measured image digest, or `.+` for every version serving),
 * `{{environment}}` and `{{window}}` (a PromQL duration); the defaults read the runtime's own
 * `/metrics` (adapters/metrics/promql-queries.ts). `timeout` bounds each query.
 */
const prometheusMetricsSchema = z.strictObject({
  type: z.literal('prometheus'),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .regex(/^[!-~]+$/, 'must be an http(s) URL'),
  queries: z
    .strictObject({
      error_rate_5xx: template.optional().describe('percent of requests answered 5xx in the window'),
      latency_p95_ms: template.optional().describe('p95 latency in milliseconds over the window'),
      cpu_percent: template.optional().describe('percent of one core over the window'),
      requests: template.optional().describe('requests answered in the window'),
      latency_histogram: template
        .optional()
        .describe('requests per latency bucket in the window, one series per `le` (seconds)'),
    })
    .default({}),
});

/** Where an environment's canary metrics come from: the runtime's router, or the team's Prometheus. */
export const metricsSchema = z
  .discriminatedUnion('type', [embeddedMetricsSchema, prometheusMetricsSchema])
  .default({ type: 'embedded' });

export type PrometheusMetricsConfig = z.output<typeof prometheusMetricsSchema>;
