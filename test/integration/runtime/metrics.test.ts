import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntimeMetrics } from '../../../src/adapters/metrics/runtime-metrics.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

// What every Metrics source must report is in test/contract/metrics; this is what is particular
// to the runtime: CPU from /proc, rounding, and a state dir with no daemon at all.
describe('runtime metrics', () => {
  let runtime: TestRuntime;
  let base = '';

  before(async () => {
    runtime = await startTestRuntime();
    const v1 = await buildTestApp(runtime.dir, '1.0.0');
    await runtime.client.putEnvironment('production', { port: 0 });
    await runtime.client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    await runtime.client.setWeights('production', { [v1.release.digest]: 100 });
    base = await routerUrl(runtime.client, 'production');
  });

  after(async () => {
    await runtime.dispose();
  });

  test('p95 is in milliseconds with one decimal', async () => {
    for (let i = 0; i < 20; i++) await httpRequest(`${base}/slow?ms=${i}`);
    const { latency_p95_ms: p95 } = await runtime.client.metrics('production', undefined, 60_000, 1);
    assert.ok(p95 !== null && p95 >= 18, `p95 ${p95}`);
    assert.equal(Math.round(p95 * 10) / 10, p95, 'one decimal');
  });

  test('cpu_percent comes from /proc once two samples exist', async () => {
    let cpu: number | null = null;
    for (let i = 0; i < 100 && cpu === null; i++) {
      cpu = (await runtime.client.metrics('production', undefined, 60_000, 1)).cpu_percent;
      if (cpu === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(cpu !== null && cpu >= 0, `cpu ${cpu}`);
  });

  test('a state dir with no daemon running is "no data"', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cutover-'));
    try {
      const none = createRuntimeMetrics({ stateDir: empty, environment: 'production' });
      assert.equal((await none.snapshot(undefined, 30_000, 1)).samples, 0);
      assert.equal((await none.requests(undefined, 30_000)).requests, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
