import type { MetricsSnapshot, RequestSample } from '../ports/metrics.js';
import { analyzeByThreshold } from './analysis-threshold.js';
import { analyzeStatistically } from './analysis-statistical.js';
import type { AnalysisPolicy } from './schema/strategy.js';
import type { StatisticalVerdict } from './stats/verdict.js';

/** `extend`: inconclusive, and the policy asks to observe once more before judging. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'extend';

/** A judged observation, as journaled (ANALYSIS_RESULT, BATCH_ANALYSIS) and shown in the result. */
export interface Analysis {
  verdict: Verdict;
  /** plain sentences for people: why this verdict */
  reasons: string[];
  /** absent in analyses journaled before the statistical method existed (they are `threshold`) */
  method?: AnalysisPolicy['method'];
  canary: MetricsSnapshot;
  baseline: MetricsSnapshot;
  thresholds: AnalysisPolicy;
  /** threshold: the canary p95 against the baseline's; statistical: the median against the reference's */
  latency_increase_pct: number | null;
  /** statistical: what the canary was compared with over the same window */
  compared_with?: 'stable' | 'baseline' | 'nothing';
  /** statistical: every number of the verdict (sample sizes, medians, p95s, U, p-values, effects) */
  statistics?: StatisticalVerdict;
  /** statistical, reported only: the canary against the pre-deploy baseline */
  vs_baseline?: {
    median_increase_pct: number | null;
    hodges_lehmann_ms: number | null;
    p_value: number | null;
  };
}

/** What an observation saw; the samples are over the same window. */
export interface Observation {
  policy: AnalysisPolicy;
  canary: { snapshot: MetricsSnapshot; requests: RequestSample };
  /** the stable version over the canary's window, when one served beside it */
  stable: RequestSample | null;
  /** before the deploy: its summary and (if journaled) its requests */
  baseline: { snapshot: MetricsSnapshot; requests: RequestSample | null };
  /** how many times this observation was already extended for being inconclusive */
  extensions: number;
}

/** How many times `on_inconclusive: extend` observes an inconclusive window once more before failing. */
export const MAX_EXTENSIONS = 1;

/** Judges an observation with the policy's method, then applies `on_inconclusive`. */
export function judgeObservation(o: Observation): Analysis {
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
