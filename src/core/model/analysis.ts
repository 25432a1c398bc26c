import type { AnalysisPolicy } from '../schema/strategy.js';
import type { StatisticalVerdict } from '../stats/verdict.js';
import type { MetricsSnapshot, RequestSample } from './metrics.js';

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
