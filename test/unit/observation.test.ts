import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decider.js';
import { foldEvents } from '../../src/core/fold-deploy.js';
import type { DeployEvent } from '../../src/core/events.js';
import { analysisSchema, strategySchema } from '../../src/core/schema/strategy.js';
import { happyPath, OLD, rowsOf } from '../support/events.js';

const state = (events: DeployEvent[]) => foldEvents('d1', rowsOf(events));

/** happyPath with the strategy replaced. */
function withStrategy(strategy: Record<string, unknown>): DeployEvent[] {
  const [first, ...rest] = happyPath();
  return [
    {
      ...(first as Extract<DeployEvent, { type: 'DEPLOY_REQUESTED' }>),
      strategy: strategySchema.parse(strategy),
    },
    ...rest,
  ];
}

const analysis = (verdict: 'pass' | 'fail'): DeployEvent => ({
  type: 'BATCH_ANALYSIS',
  index: 0,
  verdict,
  reasons: [verdict === 'pass' ? 'pass: fine' : '5xx rate 50 % is above max_error_rate_5xx 1 %'],
  canary: {
    latency_p95_ms: 10,
    error_rate_5xx: verdict === 'pass' ? 0 : 50,
    cpu_percent: 1,
    samples: 100,
    window_ms: 5000,
  },
  baseline: { latency_p95_ms: 10, error_rate_5xx: 0, cpu_percent: 1, samples: 100, window_ms: 5000 },
  thresholds: analysisSchema.parse({ method: 'threshold' }),
  latency_increase_pct: 0,
});

test('a fast-track deploy without watch succeeds as soon as its flag is ON 100 % (the seed)', () => {
  assert.equal(decide(state(happyPath())).kind, 'succeed');
});

test('fast_track.watch: the new version is observed before success, and a failing verdict rolls it back', () => {
  const events = withStrategy({ mode: 'fast-track', fast_track: { watch: '5s' } });
  const watch = decide(state(events));
  assert.equal(watch.kind, 'batch-observe');
  assert.deepEqual(watch.kind === 'batch-observe' && [watch.index, watch.observeMs, watch.shipped.previous], [
    0,
    5000,
    OLD,
  ]);
  assert.equal(decide(state([...events, analysis('pass')])).kind, 'succeed');
  const failed = decide(state([...events, analysis('fail')]));
  assert.equal(failed.kind, 'start-rollback');
  assert.deepEqual(failed.kind === 'start-rollback' && failed.compensations.map((c) => c.action), [
    'ROLLBACK_FLAG',
    'ROLLBACK_APPLY',
  ]);
});

test('a canary deploy waiting at its step is not watched again: its analysis already ran', () => {
  const events = withStrategy({ mode: 'canary', fast_track: { watch: '5s' } });
  assert.notEqual(decide(state(events)).kind, 'batch-observe');
});
