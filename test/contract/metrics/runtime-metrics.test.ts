import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRuntimeMetrics } from '../../../src/adapters/metrics/runtime-metrics.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { describeMetricsContract, type Traffic } from './metrics-contract.js';

// The runtime's router measuring real requests to a real version process.
describeMetricsContract('local runtime', async () => {
  const runtime = await startTestRuntime();
  const [v1, v2] = await Promise.all(['1.0.0', '2.0.0'].map((v) => buildTestApp(runtime.dir, v)));
  await runtime.client.putEnvironment('production', { port: 0 });
  await runtime.client.startVersion('production', { ...v1!, healthTimeoutMs: 15_000 });
  await runtime.client.setWeights('production', { [v1!.release.digest]: 100 });
  const base = await routerUrl(runtime.client, 'production');
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  const of = (environment: string, stateDir = runtime.stateDir) =>
    createRuntimeMetrics({ stateDir, environment });
  // A state dir whose pid file names a live daemon that does not answer there (its socket gone).
  const mute = join(runtime.dir, 'mute-state');
  mkdirSync(join(mute, 'runtime'), { recursive: true });
  writeFileSync(join(mute, 'runtime', 'daemon.pid'), `${(await runtime.client.status()).pid}\n`);
  return {
    metrics: of('production'),
    serving: v1!.release.digest,
    idle: v2!.release.digest,
    silent: of('staging'),
    unreachable: of('production', mute),
    async send({ ok = 0, failing = 0, slow }: Traffic) {
      const paths = [
        ...Array<string>(ok).fill('/'),
        ...Array<string>(failing).fill('/fail'),
        ...Array<string>(slow?.count ?? 0).fill(`/slow?ms=${slow?.ms}`),
      ];
      await Promise.all(paths.map((path) => httpRequest(`${base}${path}`, { agent })));
    },
    wait: (ms) => sleep(ms),
    async cleanup() {
      agent.destroy();
      await runtime.dispose();
    },
  };
});
