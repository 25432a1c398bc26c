import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus-metrics.js';
import { judgeObservation } from '../../../src/core/analysis.js';
import type { Analysis } from '../../../src/core/model/analysis.js';
import { analysisSchema } from '../../../src/core/schema/strategy.js';
import type { Metrics } from '../../../src/ports/metrics.js';
import { freePort } from '../../support/ports.js';
import { skipUnlessPrometheus, startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { waitUntil } from '../../support/wait-until.js';

const TOTAL = 'sum(cutover_http_requests_total{environment="production"})';

// Issue 16's acceptance for metrics: a canary judged from Prometheus (scraping the runtime's
// /metrics every second): a healthy one passes, a 5xx one fails with the PromQL value in the
// reason, and a query with no series is inconclusive and never passes.
describe('a canary analysed from Prometheus', { skip: skipUnlessPrometheus() }, () => {
  let runtime: TestRuntime;
  let prometheus: RunningPrometheus;
  let stable: string;
  let canary: string;
  let base: string;
  let sent = 0;
  // Two at a time: with more, each version's latency is mostly time queued behind the other's
  // requests in a burst, which on two busy cores differs by tens of percent between two
  // identical versions, and the threshold method's 20 % latency check compares exactly that.
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const metricsWith = (queries = {}) =>
    createPrometheusMetrics({
      config: { type: 'prometheus', url: prometheus.url, queries },
      environment: 'production',
    }).forService!('shop');

  /** Sends `path` as 300 users (half of them reach the canary), once Prometheus counted them all. */
  async function traffic(path: string): Promise<number> {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        httpRequest(`${base}${path}`, { agent, headers: { 'x-user-id': `user-${i}` } }),
      ),
    );
    sent += 300;
    await waitUntil(async () => (await prometheus.value(TOTAL)) === sent, `Prometheus to count ${sent}`);
    return started;
  }

  async function judge(metrics: Metrics, sinceMs: number, policy: object): Promise<Analysis> {
    const windowMs = Date.now() - sinceMs;
    const parsed = analysisSchema.parse(policy);
    const baseline = await metrics.snapshot(stable, windowMs, parsed.min_requests);
    return judgeObservation({
      policy: parsed,
      canary: {
        snapshot: await metrics.snapshot(canary, windowMs, parsed.min_requests),
        requests: await metrics.requests(canary, windowMs),
      },
      stable: await metrics.requests(stable, windowMs),
      baseline: { snapshot: baseline, requests: null },
      extensions: 0,
    });
  }

  before(async () => {
    runtime = await startTestRuntime();
    const images = await Promise.all(['1.0.0', '2.0.0'].map((v) => buildTestApp(runtime.dir, v)));
    await runtime.client.putEnvironment('production', { port: 0 });
    for (const image of images)
      await runtime.client.startVersion('production', { ...image, healthTimeoutMs: 15_000 });
    [stable, canary] = images.map((i) => i.release.digest) as [string, string];
    await runtime.client.setWeights('production', { [stable]: 50, [canary]: 50 }, 'ff-shop');
    base = await routerUrl(runtime.client, 'production');
    const listen = `127.0.0.1:${await freePort()}`;
    await runtime.client.setMetricsListen(listen);
    prometheus = await startPrometheus([listen]);
    await waitUntil(async () => (await prometheus.value(TOTAL)) === 0, 'the first scrape');
  });
  after(async () => {
    agent.destroy();
    await prometheus?.stop();
    await runtime?.dispose();
  });

  it('a healthy canary passes, by either method', async () => {
    const since = (await traffic('/')) - 500;
    for (const method of ['statistical', 'threshold']) {
      const analysis = await judge(metricsWith(), since, { method, on_inconclusive: 'fail' });
      assert.equal(analysis.verdict, 'pass', `${method}: ${analysis.reasons.join('; ')}`);
      assert.equal(analysis.canary.error_rate_5xx, 0);
    }
  });

  it('a canary answering 5xx fails, with the 5xx rate PromQL computed in the reason', async () => {
    // the healthy requests were scraped a second ago or more: the window starts after them
    await sleep(1500);
    const since = (await traffic('/fail')) - 500;
    const analysis = await judge(metricsWith(), since, { method: 'threshold', on_inconclusive: 'fail' });
    assert.equal(analysis.verdict, 'fail');
    assert.equal(analysis.canary.error_rate_5xx, 100);
    assert.ok(
      analysis.reasons.includes('5xx rate 100 % is above max_error_rate_5xx 1 %'),
      analysis.reasons.join('; '),
    );
  });

  it('a query with no series is inconclusive, named, and never passes, not even with pass-with-warning', async () => {
    const typo = 'sum(cutover_http_requests_totl{environment="{{environment}}",version=~"{{version}}"})';
    await sleep(1500);
    const since = (await traffic('/')) - 500;
    const analysis = await judge(metricsWith({ error_rate_5xx: typo }), since, {
      on_inconclusive: 'pass-with-warning',
    });
    assert.equal(analysis.verdict, 'inconclusive');
    assert.deepEqual(analysis.canary.missing, ['error_rate_5xx']);
    assert.match(
      analysis.reasons[0]!,
      /no series for the canary from the metrics source's error_rate_5xx query/,
    );
  });
});
