// Time from the end of an observation window to a verdict on it, embedded vs Prometheus: a burst
// of 200 requests (10 % 5xx) ends the window; then each source is asked until it reports every
// request of the window, and the threshold analysis judges it. The runtime's own windows answer
// at once; Prometheus must first scrape the runtime (every 1 s here), so its time is bounded
// below by the scrape interval: that is the figure to report. Both are timed in the same round,
// in turns, so the ratio sees the same load; the medians and the ratio of medians are printed.
// Needs Debian prometheus. Run after `npm run build`:  node bench/analysis.mjs [--runs 10]
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrometheusMetrics } from '../dist/src/adapters/metrics/prometheus-metrics.js';
import { createRuntimeMetrics } from '../dist/src/adapters/metrics/runtime-metrics.js';
import { judgeObservation } from '../dist/src/core/analysis.js';
import { analysisSchema } from '../dist/src/core/schema/strategy.js';
import { freePort } from '../dist/test/support/ports.js';
import { startPrometheus } from '../dist/test/support/prometheus.js';
import { buildTestApp } from '../dist/test/support/runtime-apps.js';
import { routerUrl, startTestRuntime } from '../dist/test/support/runtime-daemon.js';
import { httpRequest } from '../dist/test/support/runtime-http.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 10;
const BURST = 200;
const policy = analysisSchema.parse({ method: 'threshold', min_requests: 50 });

const runtime = await startTestRuntime();
const app = await buildTestApp(runtime.dir, '1.0.0');
await runtime.client.putEnvironment('production', { port: 0 });
await runtime.client.startVersion('production', { ...app, healthTimeoutMs: 15_000 });
const digest = app.release.digest;
await runtime.client.setWeights('production', { [digest]: 100 });
const listen = `127.0.0.1:${await freePort()}`;
await runtime.client.setMetricsListen(listen);
const prometheus = await startPrometheus([listen]);
const base = await routerUrl(runtime.client, 'production');
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const sources = {
  embedded: createRuntimeMetrics({ stateDir: runtime.stateDir, environment: 'production' }),
  prometheus: createPrometheusMetrics({
    config: { type: 'prometheus', url: prometheus.url, queries: {} },
    environment: 'production',
  }),
};

/** Sends the burst; resolves with the window's start and end (ms, wall clock). */
async function burst() {
  const start = Date.now();
  await Promise.all(
    Array.from({ length: BURST }, (_, i) => httpRequest(`${base}${i % 10 === 0 ? '/fail' : '/'}`, { agent })),
  );
  return { start, end: Date.now() };
}

/** Milliseconds from `end` until `metrics` reports every request since `start`, and a verdict. */
async function timeToVerdict(metrics, { start, end }) {
  for (;;) {
    const windowMs = Date.now() - start + 200;
    const snapshot = await metrics.snapshot(digest, windowMs, policy.min_requests);
    if (snapshot.samples >= BURST) {
      const requests = await metrics.requests(digest, windowMs);
      const analysis = judgeObservation({
        policy,
        canary: { snapshot, requests },
        stable: null,
        baseline: { snapshot, requests: null },
        extensions: 0,
      });
      if (analysis.verdict !== 'fail') throw new Error(`expected a fail at 10 % 5xx: ${analysis.reasons}`);
      return Date.now() - end;
    }
    await sleep(20);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { embedded: [], prometheus: [] };
try {
  // the first usable value of a cold Prometheus (5–7 s) is not what is measured
  await timeToVerdict(sources.prometheus, await burst());
  for (let i = 0; i < runs; i++) {
    // windows must not overlap: the next burst starts once the previous is out of both sources' reach
    await sleep(1500);
    const order = i % 2 === 0 ? ['embedded', 'prometheus'] : ['prometheus', 'embedded'];
    for (const name of order) {
      await sleep(1500);
      times[name].push(await timeToVerdict(sources[name], await burst()));
    }
  }
  const e = median(times.embedded);
  const p = median(times.prometheus);
  console.log(
    `end of window → verdict, median of ${runs}: embedded ${e} ms, prometheus ${p} ms (scrape interval 1000 ms)`,
  );
  console.log(`ratio prometheus/embedded: ${(p / Math.max(e, 1)).toFixed(1)}x`);
} finally {
  agent.destroy();
  await prometheus.stop();
  await runtime.dispose();
}
