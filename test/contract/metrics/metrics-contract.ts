import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { countOf } from '../../../src/core/stats/latency-histogram.js';
import type { Metrics, RequestSample } from '../../../src/ports/metrics.js';
import { describeMetricsWithoutData } from './metrics-no-data.js';
import { describeMetricsOfTraffic } from './metrics-traffic.js';

/** Requests to send through the serving version: answered 200, answered 5xx, answered late. */
export interface Traffic {
  ok?: number;
  failing?: number;
  slow?: { count: number; ms: number };
}

/**
 * One metrics source for the whole suite: an environment `production` where one version serves
 * all traffic, nothing sent yet. The tests run in order and the traffic adds up.
 */
export interface MetricsHarness {
  /** the source's Metrics for `production` */
  metrics: Metrics;
  /** digest of the version serving `production` */
  serving: string;
  /** a digest that never ran there */
  idle: string;
  /** the source's Metrics for an environment that never served anything */
  silent: Metrics;
  /** the source's Metrics when the source itself cannot be reached; absent when it cannot be arranged */
  unreachable?: Metrics;
  /** sends the requests and resolves once they were answered and the source can report them */
  send(traffic: Traffic): Promise<void>;
  /** resolves after `ms` of the source's time (a model's clock moves; a real source's passes) */
  wait(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

export type MetricsFactory = () => Promise<MetricsHarness>;

/**
 * The behaviour every Metrics adapter must have (ports/metrics.ts) — the runtime's router, and
 * Prometheus to come — and every model of one: no data is nulls with `samples: 0`, never an
 * error; known traffic gives its count, 5xx rate, a p95 at least as slow as its slowest 5 %, and
 * a histogram of the same requests; per version and for the whole environment; over the window.
 *
 * @example describeMetricsContract('runtime', async () => runtimeMetricsHarness());
 */
export function describeMetricsContract(name: string, factory: MetricsFactory): void {
  describe(`Metrics contract: ${name}`, () => {
    let harness: MetricsHarness | undefined;
    before(async () => {
      harness = await factory();
    });
    after(() => harness?.cleanup());
    describeMetricsWithoutData(() => harness!);
    describeMetricsOfTraffic(() => harness!);
  });
}

/** A sample of no requests over `windowMs`. */
export function assertNoRequests(sample: RequestSample, windowMs: number): void {
  assert.deepEqual(sample, { requests: 0, errors_5xx: 0, latency: { buckets: [] }, window_ms: windowMs });
}

/** The histogram holds the sample's requests, in ascending buckets. */
export function assertHistogram(sample: RequestSample): void {
  assert.equal(countOf(sample.latency), sample.requests, 'the histogram holds every request');
  const indexes = sample.latency.buckets.map(([i]) => i);
  assert.deepEqual(
    indexes,
    [...indexes].sort((a, b) => a - b),
    'buckets ascend',
  );
}
