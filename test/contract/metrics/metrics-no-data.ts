import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import { assertNoRequests, type MetricsHarness } from './metrics-contract.js';

const NOTHING = { latency_p95_ms: null, error_rate_5xx: null, cpu_percent: null, samples: 0 };

/** No data is an answer (nulls, `samples: 0`), not an error; an unreachable source is. */
export function describeMetricsWithoutData(harness: () => MetricsHarness): void {
  it('before any traffic: no latency, no 5xx rate, samples 0 over the window asked; no requests', async () => {
    const { metrics, serving } = harness();
    for (const digest of [undefined, serving]) {
      const snapshot = await metrics.snapshot(digest, 60_000, 1);
      assert.deepEqual({ ...snapshot, cpu_percent: null }, { ...NOTHING, window_ms: 60_000 });
      assert.ok(snapshot.cpu_percent === null || snapshot.cpu_percent >= 0, `cpu ${snapshot.cpu_percent}`);
      assertNoRequests(await metrics.requests(digest, 60_000), 60_000);
    }
  });

  it('an environment that never served, or a version that never ran, is no data, not an error', async () => {
    const { metrics, silent, idle } = harness();
    assert.deepEqual(await silent.snapshot(undefined, 30_000, 1), { ...NOTHING, window_ms: 30_000 });
    assertNoRequests(await silent.requests(undefined, 30_000), 30_000);
    assert.deepEqual(await metrics.snapshot(idle, 30_000, 1), { ...NOTHING, window_ms: 30_000 });
    assertNoRequests(await metrics.requests(idle, 30_000), 30_000);
  });

  it('a source that cannot be reached is E_BASELINE_UNAVAILABLE', async (t) => {
    const { unreachable } = harness();
    if (!unreachable) return t.skip('this harness cannot make its source unreachable');
    for (const read of [
      () => unreachable.snapshot(undefined, 30_000, 1),
      () => unreachable.requests(undefined, 30_000),
    ])
      await assert.rejects(read(), (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_BASELINE_UNAVAILABLE', err.message);
        return true;
      });
  });
}
