import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { createRuntimeMetrics } from '../../../src/adapters/metrics/runtime-metrics.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('runtime metrics from known traffic', () => {
  let runtime: TestRuntime;
  let v1: TestImage;
  let base = '';

  before(async () => {
    runtime = await startTestRuntime();
    v1 = await buildTestApp(runtime.dir, '1.0.0');
    await runtime.client.putEnvironment('production', { port: 0 });
    await runtime.client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    await runtime.client.setWeights('production', { [v1.release.digest]: 100 });
    base = await routerUrl(runtime.client, 'production');
  });

  after(async () => {
    await runtime.dispose();
  });

  test('too few samples give nulls, never invented numbers', async () => {
    const snapshot = await runtime.client.metrics('production', undefined, 60_000, 50);
    assert.equal(snapshot.samples, 0);
    assert.equal(snapshot.latency_p95_ms, null);
    assert.equal(snapshot.error_rate_5xx, null);
    assert.equal(snapshot.window_ms, 60_000);
  });

  test('p95 and 5xx rate of 80 fast, 10 failing and 10 slow requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    const paths = [
      ...Array(80).fill('/'),
      ...Array(10).fill('/fail'),
      ...Array(10).fill('/slow?ms=400'),
    ] as string[];
    const replies = await Promise.all(paths.map((path) => httpRequest(`${base}${path}`, { agent })));
    agent.destroy();
    assert.equal(replies.filter((r) => r.status === 500).length, 10);

    const all = await runtime.client.metrics('production', undefined, 60_000, 50);
    assert.equal(all.samples, 100);
    assert.equal(all.error_rate_5xx, 10);
    assert.ok(all.latency_p95_ms !== null && all.latency_p95_ms >= 400, `p95 ${all.latency_p95_ms}`);
    assert.equal(Math.round((all.latency_p95_ms as number) * 10) / 10, all.latency_p95_ms, 'one decimal');

    const one = await runtime.client.metrics('production', v1.release.digest, 60_000, 50);
    // CPU is sampled every second, so it may move between the two calls; the requests may not.
    assert.deepEqual({ ...one, cpu_percent: 0 }, { ...all, cpu_percent: 0 });
    const tooFew = await runtime.client.metrics('production', undefined, 60_000, 101);
    assert.equal(tooFew.samples, 100);
    assert.equal(tooFew.latency_p95_ms, null);
    assert.equal(tooFew.error_rate_5xx, null);
    const other = await runtime.client.metrics('production', `sha256:${'1'.repeat(64)}`, 60_000, 1);
    assert.equal(other.samples, 0);
  });

  test('cpu_percent comes from /proc once two samples exist', async () => {
    let cpu: number | null = null;
    for (let i = 0; i < 100 && cpu === null; i++) {
      cpu = (await runtime.client.metrics('production', undefined, 60_000, 1)).cpu_percent;
      if (cpu === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(cpu !== null && cpu >= 0, `cpu ${cpu}`);
  });

  test('the Metrics adapter reads the same, and no daemon or no environment is "no data"', async () => {
    const metrics = createRuntimeMetrics({ stateDir: runtime.stateDir, environment: 'production' });
    const snapshot = await metrics.snapshot(undefined, 60_000, 50);
    assert.equal(snapshot.samples, 100);
    assert.equal(snapshot.error_rate_5xx, 10);
    const unknownEnv = createRuntimeMetrics({ stateDir: runtime.stateDir, environment: 'staging' });
    assert.deepEqual(await unknownEnv.snapshot(undefined, 30_000, 1), {
      latency_p95_ms: null,
      error_rate_5xx: null,
      cpu_percent: null,
      samples: 0,
      window_ms: 30_000,
    });
    const empty = mkdtempSync(join(tmpdir(), 'cutover-'));
    try {
      const none = createRuntimeMetrics({ stateDir: empty, environment: 'production' });
      assert.equal((await none.snapshot(undefined, 30_000, 1)).samples, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
