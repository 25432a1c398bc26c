import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bucketOf } from '../../../src/core/stats/latency-histogram.js';
import { assertHistogram, assertNoRequests, type MetricsHarness } from './metrics-contract.js';

/** What known traffic reads as: 80 answered, 10 failed, 10 answered 400 ms late. */
export function describeMetricsOfTraffic(harness: () => MetricsHarness): void {
  it('samples, 5xx rate and a p95 at least as slow as the slowest 5 %, for the environment and its version', async () => {
    const { metrics, serving, idle, send } = harness();
    await send({ ok: 80, failing: 10, slow: { count: 10, ms: 400 } });
    const all = await metrics.snapshot(undefined, 60_000, 50);
    assert.equal(all.samples, 100);
    assert.equal(all.error_rate_5xx, 10);
    assert.ok(all.latency_p95_ms !== null && all.latency_p95_ms >= 400, `p95 ${all.latency_p95_ms}`);
    assert.equal(all.window_ms, 60_000);
    const one = await metrics.snapshot(serving, 60_000, 50);
    assert.deepEqual({ ...one, cpu_percent: null }, { ...all, cpu_percent: null });
    assert.equal((await metrics.snapshot(idle, 60_000, 1)).samples, 0, 'another version saw none of it');
  });

  it('fewer requests than minSamples: null latency and 5xx rate, the requests still counted', async () => {
    const snapshot = await harness().metrics.snapshot(undefined, 60_000, 101);
    assert.deepEqual([snapshot.samples, snapshot.latency_p95_ms, snapshot.error_rate_5xx], [100, null, null]);
  });

  it('requests gives the same requests: count, 5xx, and a histogram with the slow ones at 400 ms or more', async () => {
    const { metrics, serving, idle } = harness();
    for (const digest of [undefined, serving]) {
      const sample = await metrics.requests(digest, 60_000);
      assert.deepEqual([sample.requests, sample.errors_5xx, sample.window_ms], [100, 10, 60_000]);
      assertHistogram(sample);
      const slow = sample.latency.buckets.filter(([i]) => i >= bucketOf(400)).reduce((n, [, c]) => n + c, 0);
      assert.ok(slow >= 10, `${slow} requests at 400 ms or more`);
    }
    assertNoRequests(await metrics.requests(idle, 60_000), 60_000);
  });

  it('only requests inside the window count', async () => {
    const { metrics, send, wait } = harness();
    await wait(3_000);
    await send({ ok: 5 });
    assert.equal((await metrics.snapshot(undefined, 2_500, 1)).samples, 5);
    assert.equal((await metrics.requests(undefined, 2_500)).requests, 5);
    assert.equal((await metrics.requests(undefined, 60_000)).requests, 105);
  });
}
