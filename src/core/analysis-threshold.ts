import type { Analysis } from './model/analysis.js';
import type { AnalysisPolicy } from './schema/strategy.js';
import type { MetricsSnapshot } from './model/metrics.js';

/**
 * Below this many milliseconds a p95 difference is scheduler noise, not a regression: 1 ms → 1.3 ms
 * is +30 % but nobody's users notice.
 */
export const LATENCY_NOISE_FLOOR_MS = 5;

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The threshold method (`analysis.method: threshold`): the canary's p95 and 5xx rate against the
 * pre-deploy baseline's, with percentage thresholds, as Flagger does. Kept for comparison; the
 * statistical method (analysis-statistical.ts) is the default. Too few canary requests is
 * inconclusive — never a pass — because "no errors seen" over ten requests says nothing about a
 * 1 % error ceiling.
 */
export function analyzeByThreshold(
  baseline: MetricsSnapshot,
  canary: MetricsSnapshot,
  policy: AnalysisPolicy,
): Analysis {
  const reasons: string[] = [];
  const base = { method: 'threshold' as const, canary, baseline, thresholds: policy };
  if (canary.samples < policy.min_requests || canary.error_rate_5xx === null) {
    reasons.push(
      `inconclusive: the canary served ${canary.samples} requests, fewer than min_requests ${policy.min_requests}`,
    );
    return { verdict: 'inconclusive', reasons, ...base, latency_increase_pct: null };
  }
  if (canary.error_rate_5xx > policy.max_error_rate_5xx) {
    reasons.push(
      `5xx rate ${canary.error_rate_5xx} % is above max_error_rate_5xx ${policy.max_error_rate_5xx} %`,
    );
  }
  let increase: number | null = null;
  if (baseline.latency_p95_ms !== null && canary.latency_p95_ms !== null && baseline.latency_p95_ms > 0) {
    increase = round(((canary.latency_p95_ms - baseline.latency_p95_ms) / baseline.latency_p95_ms) * 100);
    const absolute = canary.latency_p95_ms - baseline.latency_p95_ms;
    if (increase > policy.max_latency_p95_increase_pct && absolute > LATENCY_NOISE_FLOOR_MS) {
      reasons.push(
        `p95 latency ${canary.latency_p95_ms} ms is ${increase} % above the baseline ${baseline.latency_p95_ms} ms (max ${policy.max_latency_p95_increase_pct} %)`,
      );
    }
  }
  if (reasons.length > 0) return { verdict: 'fail', reasons, ...base, latency_increase_pct: increase };
  const latency =
    increase === null
      ? 'p95 not compared (no baseline latency)'
      : `p95 ${increase >= 0 ? '+' : ''}${increase} %`;
  reasons.push(`pass: ${canary.samples} requests, 5xx ${canary.error_rate_5xx} %, ${latency}`);
  return { verdict: 'pass', reasons, ...base, latency_increase_pct: increase };
}
