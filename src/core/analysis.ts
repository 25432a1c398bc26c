import type { Analysis, Observation } from './model/analysis.js';
import { analyzeByThreshold } from './analysis-threshold.js';
import { analyzeStatistically } from './analysis-statistical.js';

/** How many times `on_inconclusive: extend` observes an inconclusive window once more before failing. */
export const MAX_EXTENSIONS = 1;

/** Judges an observation with the policy's method, then applies `on_inconclusive`. */
export function judgeObservation(o: Observation): Analysis {
  const missing = [...new Set([...(o.canary.snapshot.missing ?? []), ...(o.canary.requests.missing ?? [])])];
  if (missing.length > 0) return judgeMissing(o, missing);
  const raw =
    o.policy.method === 'threshold'
      ? analyzeByThreshold(o.baseline.snapshot, o.canary.snapshot, o.policy)
      : analyzeStatistically(o);
  if (raw.verdict !== 'inconclusive') return raw;
  switch (o.policy.on_inconclusive) {
    case 'fail':
      return raw;
    case 'pass-with-warning':
      return {
        ...raw,
        verdict: 'pass',
        reasons: [...raw.reasons, 'passed with a warning (on_inconclusive)'],
      };
    case 'extend':
      if (o.extensions >= MAX_EXTENSIONS) return raw;
      return {
        ...raw,
        verdict: 'extend',
        reasons: [...raw.reasons, 'observing once more for the same window (on_inconclusive: extend)'],
      };
  }
}

/**
 * A metrics source that could not be read (Prometheus down, a host's agent gone) says nothing
 * about the canary either: inconclusive with the source's own reason, never a pass. It may be
 * observed once more (`extend`: the source may be back); otherwise the deploy fails safe.
 */
export function judgeUnavailable(o: Omit<Observation, 'canary' | 'stable'>, reason: string): Analysis {
  const nothing = { latency_p95_ms: null, error_rate_5xx: null, cpu_percent: null, samples: 0, window_ms: 0 };
  return inconclusive(o, nothing, `inconclusive: the metrics source could not be read: ${reason}`);
}

/**
 * A metrics query that found no series says nothing about the canary (a typo in a metric name
 * looks exactly like a perfect canary): inconclusive, named, and never turned into a pass, not
 * even by `on_inconclusive: pass-with-warning`. It may be observed once more (`extend`).
 */
function judgeMissing(o: Observation, missing: string[]): Analysis {
  return inconclusive(
    o,
    o.canary.snapshot,
    `inconclusive: no series for the canary from the metrics source's ${missing.join(', ')} ${missing.length > 1 ? 'queries' : 'query'} (no data is never a pass)`,
  );
}

/** Inconclusive whatever `on_inconclusive` says, except that `extend` may observe once more. */
function inconclusive(
  o: Omit<Observation, 'canary' | 'stable'>,
  canary: Observation['canary']['snapshot'],
  reason: string,
): Analysis {
  const raw: Analysis = {
    verdict: 'inconclusive',
    reasons: [reason],
    method: o.policy.method,
    canary,
    baseline: o.baseline.snapshot,
    thresholds: o.policy,
    latency_increase_pct: null,
  };
  if (o.policy.on_inconclusive !== 'extend' || o.extensions >= MAX_EXTENSIONS) return raw;
  return {
    ...raw,
    verdict: 'extend',
    reasons: [...raw.reasons, 'observing once more for the same window (on_inconclusive: extend)'],
  };
}
