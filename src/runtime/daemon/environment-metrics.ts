import type { MetricsSnapshot, RequestSample } from '../../core/model/metrics.js';
import type { RouterWorkers } from '../workers/router-workers.js';
import { sampleRequests, summarizeMetrics } from './metrics-summary.js';
import type { Version } from './version.js';

/** What an environment's metrics are measured on: where its requests are counted, by whom. */
export interface MeasuredEnvironment {
  name: string;
  /** the router processes beside the daemon, which count the requests they routed */
  workers: RouterWorkers;
  /** the versions asked about: one, or every version with a weight */
  versions: Version[];
}

/** Latency, 5xx rate and CPU of `env.versions` over the last `windowMs`, from every router process. */
export async function measureMetrics(
  env: MeasuredEnvironment,
  windowMs: number,
  minSamples: number,
): Promise<MetricsSnapshot> {
  const now = performance.now();
  const { local, elsewhere } = await gatherSamples(env, windowMs);
  return summarizeMetrics(local, elsewhere, now, windowMs, minSamples);
}

/** The requests `env.versions` served over the last `windowMs`, for the statistical analysis. */
export async function measureRequests(env: MeasuredEnvironment, windowMs: number): Promise<RequestSample> {
  const now = performance.now();
  const { local, elsewhere } = await gatherSamples(env, windowMs);
  return sampleRequests(local, elsewhere, now, windowMs);
}

/** Metrics input for the versions: their windows here plus what the router processes finished. */
async function gatherSamples(env: MeasuredEnvironment, windowMs: number) {
  const digests = env.versions.map((v) => v.digest);
  return {
    local: env.versions.map((v) => ({ window: v.backend.window, cpu: v.cpu })),
    elsewhere: await env.workers.samples(env.name, digests, windowMs),
  };
}
