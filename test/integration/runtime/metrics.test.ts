import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntimeMetrics } from '../../../src/adapters/metrics/runtime-metrics.js';
import { httpRequest } from '../../support/runtime-http.js';
import { useServingRuntime } from '../../support/serving-runtime.js';

// What every Metrics source must report is in test/contract/metrics; this is what is particular
// to the runtime: CPU from /proc, rounding, and a state dir with no daemon at all.
describe('runtime metrics', () => {
  const served = useServingRuntime({ v1: '1.0.0' }, { v1: 100 });

  test('p95 is in milliseconds with one decimal', async () => {
    for (let i = 0; i < 20; i++) await httpRequest(`${served.base}/slow?ms=${i}`);
    const { latency_p95_ms: p95 } = await served.runtime.client.metrics('production', undefined, 60_000, 1);
    assert.ok(p95 !== null && p95 >= 18, `p95 ${p95}`);
    assert.equal(Math.round(p95 * 10) / 10, p95, 'one decimal');
  });

  test('cpu_percent comes from /proc once two samples exist', async () => {
    let cpu: number | null = null;
    for (let i = 0; i < 100 && cpu === null; i++) {
      cpu = (await served.runtime.client.metrics('production', undefined, 60_000, 1)).cpu_percent;
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
