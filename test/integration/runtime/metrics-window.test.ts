import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeMetrics } from '../../../src/runtime/daemon/metrics-summary.js';
import { RequestWindow } from '../../../src/runtime/http/request-window.js';

// Pure pieces of the metrics; they live here because the runtime's tests live here.

test('p95 is the nearest-rank percentile, 5xx a percentage, over the window only', () => {
  const window = new RequestWindow();
  window.record(0, 9999, 500); // before the window
  for (let i = 1; i <= 100; i++) window.record(1000 + i, i, i <= 3 ? 503 : 200);
  const snapshot = summarizeMetrics([{ window, cpu: null }], [], 2000, 1000, 10);
  assert.deepEqual(snapshot, {
    latency_p95_ms: 95,
    error_rate_5xx: 3,
    cpu_percent: null,
    samples: 100,
    window_ms: 1000,
  });
});

test('fewer samples than asked for give nulls but still count', () => {
  const window = new RequestWindow();
  for (let i = 0; i < 5; i++) window.record(100, 1, 200);
  const snapshot = summarizeMetrics([{ window, cpu: null }], [], 100, 1000, 6);
  assert.deepEqual(snapshot, {
    latency_p95_ms: null,
    error_rate_5xx: null,
    cpu_percent: null,
    samples: 5,
    window_ms: 1000,
  });
});

test('the ring grows past its first capacity without losing or reordering samples', () => {
  const window = new RequestWindow();
  for (let i = 0; i < 10_000; i++) window.record(i, i % 7, 200);
  let seen = 0;
  let last = Infinity;
  window.forEachSince(5000, (latency) => {
    seen++;
    last = latency;
  });
  assert.equal(seen, 5000);
  assert.equal(last, 5000 % 7, 'visited newest to oldest, ending at the oldest in the window');
});

test('samples from the router processes count like the daemon own, in p95, 5xx and samples', () => {
  const window = new RequestWindow();
  for (let i = 1; i <= 50; i++) window.record(1000 + i, i, 200);
  const elsewhere = {
    latencies: Float32Array.from({ length: 50 }, (_, i) => 51 + i),
    statuses: Uint16Array.from({ length: 50 }, (_, i) => (i < 10 ? 502 : 200)),
  };
  const snapshot = summarizeMetrics([{ window, cpu: null }], [elsewhere], 2000, 1000, 100);
  assert.deepEqual(snapshot, {
    latency_p95_ms: 95,
    error_rate_5xx: 10,
    cpu_percent: null,
    samples: 100,
    window_ms: 1000,
  });
});
