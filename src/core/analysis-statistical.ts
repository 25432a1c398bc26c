import type { Analysis, Observation } from './model/analysis.js';
import { latenciesOf } from './stats/latency-histogram.js';
import { compareLatencies } from './stats/latency-comparison.js';
import { judgeCanary, type StatisticalPolicy } from './stats/verdict.js';
import type { RequestSample } from './model/metrics.js';

/**
 * The statistical method (the default; the reasoning is at the top of stats/verdict.ts): the
 * canary's requests against a reference over the same window. The reference is the stable version
 * serving beside the canary; once the new version serves everybody (a watched fast-track deploy, a
 * batch of a train) it is the pre-deploy baseline journaled at PREFLIGHT. With neither (a first
 * deploy to an empty environment), latency cannot be compared: only the 5xx ceiling is judged.
 */
export function analyzeStatistically(o: Observation): Analysis {
  const { policy, canary, baseline } = o;
  const statPolicy: StatisticalPolicy = {
    confidence: policy.confidence,
    max_latency_increase_pct: policy.max_latency_increase_pct,
    min_latency_shift_ms: policy.min_latency_shift_ms,
    max_error_rate_5xx: policy.max_error_rate_5xx,
    min_requests: policy.min_requests,
  };
  const base = {
    method: 'statistical' as const,
    canary: canary.snapshot,
    baseline: baseline.snapshot,
    thresholds: policy,
  };
  const [reference, compared_with] = o.stable
    ? ([o.stable, 'stable'] as const)
    : baseline.requests && baseline.requests.requests > 0
      ? ([baseline.requests, 'baseline'] as const)
      : ([null, 'nothing'] as const);
  if (reference === null) return { ...base, compared_with, ...errorsOnly(canary.requests, policy) };
  const canaryLatencies = latenciesOf(canary.requests.latency);
  const statistics = judgeCanary(
    { latencies_ms: canaryLatencies, errors_5xx: canary.requests.errors_5xx },
    { latencies_ms: latenciesOf(reference.latency), errors_5xx: reference.errors_5xx },
    statPolicy,
  );
  const analysis: Analysis = {
    ...base,
    verdict: statistics.verdict,
    reasons: [
      `against the ${compared_with === 'stable' ? 'stable version in the same window' : 'pre-deploy baseline'}: ${statistics.sentence}`,
    ],
    latency_increase_pct: round(statistics.latency.median_increase_pct),
    compared_with,
    statistics,
  };
  if (compared_with === 'stable' && baseline.requests && baseline.requests.requests > 0) {
    const against = compareLatencies(canaryLatencies, latenciesOf(baseline.requests.latency));
    analysis.vs_baseline = {
      median_increase_pct: round(against.median_increase_pct),
      hodges_lehmann_ms: round(against.hodges_lehmann_ms),
      p_value: against.mann_whitney?.p_value ?? null,
    };
  }
  return analysis;
}

/** No reference to compare with: enough requests, and a 5xx rate under the ceiling, pass. */
function errorsOnly(
  requests: RequestSample,
  policy: Observation['policy'],
): Omit<Analysis, 'method' | 'canary' | 'baseline' | 'thresholds'> {
  const rate = requests.requests > 0 ? (requests.errors_5xx / requests.requests) * 100 : 0;
  const shown = `${Math.round(rate * 100) / 100} %`;
  if (requests.requests < policy.min_requests) {
    const reason = `inconclusive: the canary served ${requests.requests} requests, fewer than min_requests ${policy.min_requests}`;
    return { verdict: 'inconclusive', reasons: [reason], latency_increase_pct: null };
  }
  const latency = 'latency not compared (no stable version and no pre-deploy traffic)';
  if (rate > policy.max_error_rate_5xx) {
    const reason = `5xx rate ${shown} is above max_error_rate_5xx ${policy.max_error_rate_5xx} %; ${latency}`;
    return { verdict: 'fail', reasons: [reason], latency_increase_pct: null };
  }
  return {
    verdict: 'pass',
    reasons: [`pass: ${requests.requests} requests, 5xx ${shown}; ${latency}`],
    latency_increase_pct: null,
  };
}

function round(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}
