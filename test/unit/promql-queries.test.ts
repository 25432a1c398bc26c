import assert from 'node:assert/strict';
import { it } from 'node:test';
import { toHistogram } from '../../src/adapters/metrics/prometheus-histogram.js';
import { DEFAULT_QUERIES, renderQuery } from '../../src/adapters/metrics/promql-queries.js';
import { bucketOf } from '../../src/core/stats/latency-histogram.js';

const config = { type: 'prometheus', url: 'http://127.0.0.1:9090', queries: {} } as const;

it('a template gets the service, the version as a regex (.+ for every version), the environment and the window', () => {
  const custom = {
    ...config,
    queries: { requests: 'sum(x{job="{{service}}",v=~"{{ version }}",e="{{environment}}"}[{{window}}])' },
  };
  const vars = { service: 'api-orders', digest: 'sha256:ab', environment: 'production', windowMs: 120_000 };
  assert.equal(
    renderQuery(custom, 'requests', vars),
    'sum(x{job="api-orders",v=~"sha256:ab",e="production"}[120000ms])',
  );
  assert.equal(
    renderQuery(config, 'cpu_percent', { ...vars, digest: undefined }),
    '100 * sum(rate(cutover_version_cpu_seconds_total{environment="production",version=~".+"}[120000ms]))',
  );
  assert.equal(
    renderQuery(custom, 'error_rate_5xx', vars),
    renderQuery({ ...config }, 'error_rate_5xx', vars),
  );
  for (const q of Object.values(DEFAULT_QUERIES))
    assert.doesNotMatch(q, /increase\(/, 'counter differences, not extrapolations');
});

it("Prometheus's cumulative buckets become requests per bucket at each bucket's geometric middle", () => {
  const series = [
    { labels: { le: '0.1' }, value: 10 },
    { labels: { le: '+Inf' }, value: 13 },
    { labels: { le: '0.5' }, value: 12 },
    { labels: { le: '0.4' }, value: 10 },
  ];
  assert.deepEqual(toHistogram(series), {
    buckets: [
      [bucketOf(50), 10],
      [bucketOf(Math.sqrt(0.4 * 0.5) * 1000), 2],
      [bucketOf(630), 1],
    ],
  });
  assert.throws(() => toHistogram([{ labels: {}, value: 3 }]), { code: 'E_INVALID_INPUT' });
});
