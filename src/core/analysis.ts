import type { Analysis, Observation } from './model/analysis.js';
import { analyzeByThreshold } from './analysis-threshold.js';
import { analyzeStatistically } from './analysis-statistical.js';

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
