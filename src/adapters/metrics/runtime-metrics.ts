import { CutoverError, isCutoverError } from '../../core/errors.js';
import type { Metrics, MetricsSnapshot, RequestSample } from '../../ports/metrics.js';
import { resolve } from 'node:path';
import { RuntimeClient } from '../../runtime/client/admin-client.js';
import { resolveRuntimePaths } from '../../runtime/client/paths.js';
import { isRuntimeDaemon, readPidFile } from '../../runtime/client/pid-file.js';

export interface RuntimeMetricsOptions {
  stateDir: string;
  /** the daemon's directory (cutover.yaml `target.runtime_dir`); default: the state dir's */
  runtimeDir?: string;
  environment: string;
}

/**
 * Metrics measured by the local runtime's router (latency, status per request) and from /proc
 * (CPU of each version's process).
 *
 * A daemon that is not running, or an environment it does not know, has served nothing: that is
 * "no data" (nulls, `samples: 0`), not an error. A daemon that runs but does not answer is
 * `E_BASELINE_UNAVAILABLE`.
 *
 * @example
 * const metrics = createRuntimeMetrics({ stateDir: '.cutover', environment: 'production' });
 * const baseline = await metrics.snapshot(undefined, 60_000, 20);
 */
export function createRuntimeMetrics(options: RuntimeMetricsOptions): Metrics {
  const paths = resolveRuntimePaths(
    resolve(options.stateDir),
    options.runtimeDir && resolve(options.runtimeDir),
  );
  const client = new RuntimeClient(paths.socket);
  const daemonRuns = async (): Promise<boolean> => {
    const pid = await readPidFile(paths.pidFile);
    return pid !== null && isRuntimeDaemon(pid);
  };

  /** What the daemon answered, or `empty` when it knows nothing (not running, no such environment). */
  const ask = async <T>(read: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return empty;
      if (isCutoverError(err) && err.code === 'E_RUNTIME_UNAVAILABLE' && !(await daemonRuns())) {
        return empty;
      }
      throw new CutoverError(
        'E_BASELINE_UNAVAILABLE',
        `cannot read metrics of ${options.environment} from the local runtime: ${err instanceof Error ? err.message : String(err)}`,
        { environment: options.environment },
        err,
      );
    }
  };

  const snapshot = (
    digest: string | undefined,
    windowMs: number,
    minSamples: number,
  ): Promise<MetricsSnapshot> =>
    ask(() => client.metrics(options.environment, digest, windowMs, minSamples), {
      latency_p95_ms: null,
      error_rate_5xx: null,
      cpu_percent: null,
      samples: 0,
      window_ms: windowMs,
    });

  const requests = (digest: string | undefined, windowMs: number): Promise<RequestSample> =>
    ask(() => client.requests(options.environment, digest, windowMs), {
      requests: 0,
      errors_5xx: 0,
      latency: { buckets: [] },
      window_ms: windowMs,
    });

  return { name: 'runtime', snapshot, requests };
}
