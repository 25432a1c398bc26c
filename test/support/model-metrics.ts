import { CutoverError } from '../../src/core/errors.js';
import { histogramOf } from '../../src/core/stats/latency-histogram.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Metrics, MetricsSnapshot, RequestSample } from '../../src/ports/metrics.js';

interface Answered {
  /** epoch ms, on the model clock */
  at: number;
  latencyMs: number;
  status: number;
}

/**
 * An in-memory model of the Metrics port, held to the same contract suite as the runtime's
 * (test/contract/metrics): it reports only the requests recorded with it, by version, over the
 * window asked on the model clock; no data is nulls with `samples: 0`. CPU is never measured.
 */
export class ModelMetrics implements Metrics {
  readonly name = 'model';
  /** reads of these digests (undefined: the whole environment) fail as an unreachable source does */
  unreachable: (digest: string | undefined) => boolean = () => false;
  /** per digest, oldest first */
  private readonly answered = new Map<string, Answered[]>();

  /** @param serving the digests that serve the environment now (with a weight), read for `digest: undefined` */
  constructor(
    private readonly clock: Clock,
    private readonly serving: () => Promise<string[]>,
  ) {}

  /** One request `digest` answered; `at` (the model clock by default) never goes back in time. */
  record(digest: string, latencyMs: number, status: number, at = this.clock.now().getTime()): void {
    const list = this.answered.get(digest) ?? [];
    list.push({ at, latencyMs, status });
    this.answered.set(digest, list);
  }

  async snapshot(digest: string | undefined, windowMs: number, minSamples: number): Promise<MetricsSnapshot> {
    const seen = await this.read(digest, windowMs);
    const samples = seen.length;
    const enough = samples > 0 && samples >= minSamples;
    const sorted = seen.map((a) => a.latencyMs).sort((a, b) => a - b);
    const p95 = sorted[Math.max(0, Math.ceil(0.95 * samples) - 1)] ?? 0;
    const errors = seen.filter((a) => a.status >= 500).length;
    return {
      latency_p95_ms: enough ? Math.round(p95 * 10) / 10 : null,
      error_rate_5xx: enough ? Math.round((errors / samples) * 10_000) / 100 : null,
      cpu_percent: null,
      samples,
      window_ms: windowMs,
    };
  }

  async requests(digest: string | undefined, windowMs: number): Promise<RequestSample> {
    const seen = await this.read(digest, windowMs);
    return {
      requests: seen.length,
      errors_5xx: seen.filter((a) => a.status >= 500).length,
      latency: histogramOf(seen.map((a) => a.latencyMs)),
      window_ms: windowMs,
    };
  }

  /** What the digests answered in (now - windowMs, now]. */
  private async read(digest: string | undefined, windowMs: number): Promise<Answered[]> {
    if (this.unreachable(digest))
      throw new CutoverError('E_BASELINE_UNAVAILABLE', 'injected fault: the metrics source does not answer');
    const now = this.clock.now().getTime();
    const digests = digest === undefined ? await this.serving() : [digest];
    return digests.flatMap((d) => {
      const list = this.answered.get(d) ?? [];
      let from = list.length;
      while (from > 0 && list[from - 1]!.at > now - windowMs) from--;
      return list.slice(from).filter((a) => a.at <= now);
    });
  }
}
