import { histogramOf } from '../../core/stats/latency-histogram.js';
import type { MetricsSnapshot, RequestSample } from '../../core/model/metrics.js';
import type { CpuHistory } from './cpu-history.js';
import type { RequestWindow } from '../http/request-window.js';
import type { SampleBatch } from '../workers/router-wire.js';

/** One version's measurements, as the summary reads them. */
export interface MeasuredVersion {
  window: RequestWindow;
  cpu: CpuHistory | null;
}

/**
 * p95 latency (nearest rank, ms, 1 decimal), 5xx rate (percent, 2 decimals) and CPU (percent of
 * one core, summed over the versions) over the last `windowMs`, from the daemon's windows plus
 * what the router processes finished in that time (`elsewhere`). Latency and 5xx are null below
 * `minSamples` requests; CPU is null until a version has two CPU samples. Request and CPU samples
 * are both stamped with `performance.now()`, which `now` must come from.
 */
export function summarizeMetrics(
  versions: MeasuredVersion[],
  elsewhere: SampleBatch[],
  now: number,
  windowMs: number,
  minSamples: number,
): MetricsSnapshot {
  const since = now - windowMs;
  const latencies: number[] = [];
  let errors = 0;
  const visit = (latencyMs: number, status: number): void => {
    latencies.push(latencyMs);
    if (status >= 500) errors++;
  };
  for (const version of versions) version.window.forEachSince(since, visit);
  for (const batch of elsewhere) {
    for (let i = 0; i < batch.latencies.length; i++)
      visit(batch.latencies[i] as number, batch.statuses[i] as number);
  }
  const samples = latencies.length;
  const enough = samples > 0 && samples >= minSamples;
  return {
    latency_p95_ms: enough ? round(percentile(latencies, 0.95), 1) : null,
    error_rate_5xx: enough ? round((errors / samples) * 100, 2) : null,
    cpu_percent: sumCpu(versions, since),
    samples,
    window_ms: windowMs,
  };
}

/** Every request of `versions` in the last `windowMs` (here and in the router processes), bucketed. */
export function sampleRequests(
  versions: MeasuredVersion[],
  elsewhere: SampleBatch[],
  now: number,
  windowMs: number,
): RequestSample {
  const latencies: number[] = [];
  let errors = 0;
  const visit = (latencyMs: number, status: number): void => {
    latencies.push(latencyMs);
    if (status >= 500) errors++;
  };
  for (const version of versions) version.window.forEachSince(now - windowMs, visit);
  for (const batch of elsewhere) {
    for (let i = 0; i < batch.latencies.length; i++)
      visit(batch.latencies[i] as number, batch.statuses[i] as number);
  }
  return {
    requests: latencies.length,
    errors_5xx: errors,
    latency: histogramOf(latencies),
    window_ms: windowMs,
  };
}

function percentile(values: number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(0, Math.ceil(q * sorted.length) - 1);
  return sorted[rank] as number;
}

function sumCpu(versions: MeasuredVersion[], since: number): number | null {
  let total: number | null = null;
  for (const version of versions) {
    const percent = version.cpu?.percentSince(since) ?? null;
    if (percent !== null) total = (total ?? 0) + percent;
  }
  return total === null ? null : round(total, 1);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
