// The statistical canary verdict: canary vs stable over the same window.
//
// Why not compare two p95s? A p95 over a few hundred requests is decided by its top 5 %: a handful
// of requests that waited on the scheduler, a GC pause, a cold cache. Two healthy versions measured
// side by side can then differ by +1000 %, and a percentage threshold on that difference fails
// healthy deploys at random (Flagger's approach, and the noise issue #11 found in our own tests).
// Like Kayenta (Spinnaker's canary judge) we compare the two *distributions* instead:
//   - the Mann-Whitney U test asks whether canary latencies rank above stable's more often than
//     chance allows; it uses every request, not the top 5 %, and a few huge outliers move it by a
//     few ranks, not by hundreds of ms. It is two-sided (a faster canary is a difference too), and
//     only an increase can fail;
//   - an effect size says whether the difference matters: the ratio of medians (compared with
//     max_latency_increase_pct) and the Hodges-Lehmann shift in ms (compared with
//     min_latency_shift_ms). A large sample makes a 0.3 ms difference "significant"; the effect
//     thresholds keep such differences from failing a deploy. Latency fails only when all three
//     agree: significant, relatively large, and absolutely large.
//   - 5xx: a one-sided test of canary vs stable proportions (Fisher's exact when counts are small),
//     plus the absolute ceiling max_error_rate_5xx, which fails on its own.
//
// What `confidence` means: a difference counts as significant when its p-value is below
// 1 - confidence (0.02 by default) — if the canary were as healthy as stable, data at least this
// lopsided would turn up less than 2 % of the time. It is applied per test, and the latency test
// further needs the effect thresholds, so a healthy canary fails far less often than that on
// latency; test/unit/stats/simulation.test.ts measures the false-failure rate and prints it.
//
// Too few requests on either side is "inconclusive", never a pass: "no difference seen" over 20
// requests is not evidence of health.

import { compareErrorRates } from './error-rates.js';
import { compareLatencies, type LatencyComparison } from './latency-comparison.js';
import { describeErrors, describeLatency, describeTooFewRequests } from './verdict-sentences.js';
import type {
  ErrorCountsSummary,
  ErrorVerdict,
  LatencyGates,
  StatisticalPolicy,
  StatisticalVerdict,
  StatisticalVerdictValue,
  VersionRequests,
} from './verdict-types.js';

export * from './verdict-types.js';

/** The gates, or null when either side has too few latencies to judge. */
function latencyGates(c: LatencyComparison, policy: StatisticalPolicy, alpha: number): LatencyGates | null {
  const min = Math.max(1, policy.min_requests);
  if (c.canary.samples < min || c.stable.samples < min) return null;
  const relative =
    c.median_increase_pct === null
      ? c.canary.median_ms! > c.stable.median_ms! // stable median 0 ms: any increase is relative
      : c.median_increase_pct > policy.max_latency_increase_pct;
  return {
    significant: c.mann_whitney!.p_value < alpha,
    relative,
    absolute: c.hodges_lehmann_ms! >= policy.min_latency_shift_ms,
  };
}

function summarizeErrors(v: VersionRequests, side: string): ErrorCountsSummary {
  const requests = v.latencies_ms.length;
  if (!Number.isInteger(v.errors_5xx) || v.errors_5xx < 0 || v.errors_5xx > requests) {
    throw new RangeError(`${side} errors_5xx ${v.errors_5xx} must be an integer between 0 and ${requests}`);
  }
  return { requests, errors_5xx: v.errors_5xx, rate_pct: requests > 0 ? (v.errors_5xx / requests) * 100 : 0 };
}

function judgeErrors(
  e: Omit<ErrorVerdict, 'verdict' | 'sentence'>,
  policy: StatisticalPolicy,
  alpha: number,
): StatisticalVerdictValue {
  const min = policy.min_requests;
  if (e.comparison === null || e.canary.requests < min || e.stable.requests < min) return 'inconclusive';
  const significant = e.comparison.p_value < alpha;
  return significant || e.canary.rate_pct > policy.max_error_rate_5xx ? 'fail' : 'pass';
}

/**
 * The statistical verdict on a canary: its latencies and 5xx count against stable's over the same
 * window, under `policy`. Fails when either latency or errors fail; otherwise inconclusive when
 * either side served fewer than `min_requests`; otherwise passes.
 *
 * @example
 * const v = judgeCanary(
 *   { latencies_ms: canaryLatencies, errors_5xx: 1 },
 *   { latencies_ms: stableLatencies, errors_5xx: 3 },
 *   DEFAULT_STATISTICAL_POLICY,
 * );
 * v.verdict; // 'pass' | 'fail' | 'inconclusive'
 * v.sentence; // e.g. 'latency: canary median 12.4 ms vs stable 10.1 ms (+22.8 %, Hodges-Lehmann +2.3 ms), p = 0.0004 < 0.02 → fail; errors: …'
 * @throws RangeError when errors_5xx is not an integer between 0 and the request count, or the
 *   confidence is not between 0 and 1
 */
export function judgeCanary(
  canary: VersionRequests,
  stable: VersionRequests,
  policy: StatisticalPolicy,
): StatisticalVerdict {
  if (!(policy.confidence > 0 && policy.confidence < 1)) {
    throw new RangeError(`confidence must be between 0 and 1, got ${policy.confidence}`);
  }
  const alpha = 1 - policy.confidence;
  const latency = compareLatencies(canary.latencies_ms, stable.latencies_ms);
  const counts = { canary: summarizeErrors(canary, 'canary'), stable: summarizeErrors(stable, 'stable') };
  const bothServed = counts.canary.requests > 0 && counts.stable.requests > 0;
  const errors = {
    ...counts,
    comparison: bothServed ? compareErrorRates(counts.canary, counts.stable) : null,
  };
  const gates = latencyGates(latency, policy, alpha);
  const latencyVerdict: StatisticalVerdictValue =
    gates === null ? 'inconclusive' : gates.significant && gates.relative && gates.absolute ? 'fail' : 'pass';
  const errorVerdict = judgeErrors(errors, policy, alpha);
  const parts = [latencyVerdict, errorVerdict];
  const verdict = parts.includes('fail') ? 'fail' : parts.includes('inconclusive') ? 'inconclusive' : 'pass';
  const latencySentence = describeLatency(latency, gates, latencyVerdict, policy, alpha);
  const errorSentence = describeErrors(errors, errorVerdict, policy, alpha);
  const tooFew = Math.min(counts.canary.requests, counts.stable.requests) < policy.min_requests;
  const sentence =
    verdict === 'inconclusive' && tooFew
      ? describeTooFewRequests(counts.canary.requests, counts.stable.requests, policy.min_requests)
      : errorVerdict === 'fail' && latencyVerdict !== 'fail' // what decided the verdict comes first
        ? `${errorSentence}; ${latencySentence}`
        : `${latencySentence}; ${errorSentence}`;
  return {
    verdict,
    sentence,
    latency: { ...latency, verdict: latencyVerdict, sentence: latencySentence },
    errors: { ...errors, verdict: errorVerdict, sentence: errorSentence },
    policy: { ...policy },
    alpha,
  };
}
