import { Agent } from 'node:http';
import { describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus-metrics.js';
import { freePort } from '../../support/ports.js';
import { skipUnlessPrometheus, startPrometheus } from '../../support/prometheus.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { waitUntil } from '../../support/wait-until.js';
import { describeMetricsContract, type Traffic } from './metrics-contract.js';

// Debian's Prometheus scraping the runtime's /metrics every second, read through the default
// queries: the same contract as the router's own metrics.
describe('Prometheus metrics', { skip: skipUnlessPrometheus() }, () => {
  describeMetricsContract('prometheus (scraping the runtime)', async () => {
    const runtime = await startTestRuntime();
    const [v1, v2] = await Promise.all(['1.0.0', '2.0.0'].map((v) => buildTestApp(runtime.dir, v)));
    await runtime.client.putEnvironment('production', { port: 0 });
    await runtime.client.startVersion('production', { ...v1!, healthTimeoutMs: 15_000 });
    await runtime.client.setWeights('production', { [v1!.release.digest]: 100 });
    const listen = `127.0.0.1:${await freePort()}`;
    await runtime.client.setMetricsListen(listen);
    const prometheus = await startPrometheus([listen]);
    const total = `sum(cutover_http_requests_total{environment="production"})`;
    // the first scrape of the serving version: before it, a "no data" answer would prove nothing
    await waitUntil(async () => (await prometheus.value(total)) === 0, 'the first scrape');
    const of = (environment: string, url = prometheus.url) =>
      createPrometheusMetrics({ config: { type: 'prometheus', url, queries: {} }, environment });
    const base = await routerUrl(runtime.client, 'production');
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    let sent = 0;
    return {
      metrics: of('production'),
      serving: v1!.release.digest,
      idle: v2!.release.digest,
      silent: of('staging'),
      unreachable: of('production', `http://127.0.0.1:${await freePort()}`),
      async send({ ok = 0, failing = 0, slow }: Traffic) {
        const paths = [
          ...Array<string>(ok).fill('/'),
          ...Array<string>(failing).fill('/fail'),
          ...Array<string>(slow?.count ?? 0).fill(`/slow?ms=${slow?.ms}`),
        ];
        await Promise.all(paths.map((path) => httpRequest(`${base}${path}`, { agent })));
        sent += paths.length;
        await waitUntil(async () => (await prometheus.value(total)) === sent, `Prometheus to count ${sent}`);
      },
      wait: (ms) => sleep(ms),
      async cleanup() {
        agent.destroy();
        await prometheus.stop();
        await runtime.dispose();
      },
    };
  });
});
