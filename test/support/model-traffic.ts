import type { TargetSnapshot } from '../../src/core/model/target.js';
import type { ModelMetrics } from './model-metrics.js';

/** How a version answers its nth request (from 0). */
export type Answer = (digest: string, nth: number) => { latencyMs: number; status: number };

/**
 * Users' requests in the model world: `perSecond` of them, evenly spaced on the model clock,
 * shared between the versions by weight (smooth weighted round robin, so a 5 % canary gets one
 * request in twenty, not five in a row), answered as `answer` says and recorded with `metrics`.
 * Nothing serving: the requests reach no version and nothing is recorded.
 */
export class ModelTraffic {
  private next: number | null = null;
  private readonly credit = new Map<string, number>();
  private readonly count = new Map<string, number>();

  constructor(
    private readonly metrics: ModelMetrics,
    private readonly perSecond: number,
    private readonly answer: Answer,
  ) {}

  /** The requests of (from, to] at the weights of `serving`. */
  flow(serving: TargetSnapshot, from: number, to: number): void {
    const weights = serving.versions
      .filter((v) => v.weight > 0)
      .map((v) => [v.release.digest, v.weight] as const);
    const total = weights.reduce((sum, [, w]) => sum + w, 0);
    for (const digest of [...this.credit.keys()])
      if (!weights.some(([d]) => d === digest)) this.credit.delete(digest);
    const interval = 1000 / this.perSecond;
    let at = Math.max(this.next ?? from + interval, from + interval);
    for (; at <= to; at += interval) {
      if (total === 0) continue;
      let chosen = weights[0]![0];
      for (const [digest, weight] of weights) {
        this.credit.set(digest, (this.credit.get(digest) ?? 0) + weight);
        if (this.credit.get(digest)! > this.credit.get(chosen)!) chosen = digest;
      }
      this.credit.set(chosen, this.credit.get(chosen)! - total);
      const nth = this.count.get(chosen) ?? 0;
      this.count.set(chosen, nth + 1);
      const { latencyMs, status } = this.answer(chosen, nth);
      this.metrics.record(chosen, latencyMs, status, at);
    }
    this.next = at;
  }
}
