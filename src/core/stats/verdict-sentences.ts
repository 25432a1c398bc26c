// The sentences people read in `cutover status` and the deploy result: every number that decided
// the verdict, the threshold it was held against, and the outcome, e.g.
//   latency: canary median 12.4 ms vs stable 10.1 ms (+22.8 %, Hodges-Lehmann +2.3 ms), p = 0.0004 < 0.02 → fail
// When a verdict passes despite a significant p-value, the sentence says which threshold held.

import type {
  ErrorCountsSummary,
  ErrorVerdict,
  LatencyGates,
  StatisticalPolicy,
  StatisticalVerdictValue,
} from './verdict-types.js';
import type { LatencyComparison } from './latency-comparison.js';

/** Two significant digits, without trailing zeros: 0.0004, 0.41, 1.2e-7. */
export function formatP(p: number): string {
  return String(Number(p.toPrecision(2)));
}

const ms = (v: number): string => v.toFixed(1);
const signed = (v: number, digits: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
const percent = (v: number): string => String(Number(v.toFixed(2)));
const threshold = (alpha: number): string => String(Number(alpha.toPrecision(6)));
const compared = (p: number, alpha: number): string =>
  `p = ${formatP(p)} ${p < alpha ? '<' : '≥'} ${threshold(alpha)}`;

function shortSide(canary: number, stable: number, min: number): string {
  if (canary < min && stable < min) return 'both sides';
  return canary < min ? 'the canary side' : 'the stable side';
}

/** Inconclusive for want of requests: the counts on each side and the floor they missed. */
export function describeTooFewRequests(canary: number, stable: number, min: number): string {
  return `inconclusive: the canary served ${canary} requests and stable ${stable}, fewer than min_requests ${min} on ${shortSide(canary, stable, min)}`;
}

/** The latency part of the verdict in one clause. */
export function describeLatency(
  c: LatencyComparison,
  gates: LatencyGates | null,
  verdict: StatisticalVerdictValue,
  policy: StatisticalPolicy,
  alpha: number,
): string {
  if (gates === null || verdict === 'inconclusive') {
    const dropped = c.canary.dropped + c.stable.dropped;
    const note = dropped > 0 ? ` (${dropped} values that were not latencies left out)` : '';
    return `latency: inconclusive, ${c.canary.samples} canary and ${c.stable.samples} stable latencies${note}, fewer than min_requests ${policy.min_requests} on ${shortSide(c.canary.samples, c.stable.samples, policy.min_requests)}`;
  }
  const increase =
    c.median_increase_pct === null ? 'stable median 0 ms' : `${signed(c.median_increase_pct, 1)} %`;
  const shift = `${signed(c.hodges_lehmann_ms!, 1)} ms`;
  const base = `latency: canary median ${ms(c.canary.median_ms!)} ms vs stable ${ms(c.stable.median_ms!)} ms (${increase}, Hodges-Lehmann ${shift}), ${compared(c.mann_whitney!.p_value, alpha)}`;
  if (verdict === 'fail' || !gates.significant) return `${base} → ${verdict}`;
  if (!gates.relative) {
    return `${base} but ${increase} is not above max_latency_increase_pct ${policy.max_latency_increase_pct} → pass`;
  }
  return `${base} but the shift ${shift} is below min_latency_shift_ms ${policy.min_latency_shift_ms} → pass`;
}

const rate = (e: ErrorCountsSummary): string => `${percent(e.rate_pct)} % (${e.errors_5xx} of ${e.requests})`;

/** The 5xx part of the verdict in one clause. */
export function describeErrors(
  e: Omit<ErrorVerdict, 'verdict' | 'sentence'>,
  verdict: StatisticalVerdictValue,
  policy: StatisticalPolicy,
  alpha: number,
): string {
  if (e.comparison === null || verdict === 'inconclusive') {
    return `errors: inconclusive, the canary served ${e.canary.requests} requests and stable ${e.stable.requests}, fewer than min_requests ${policy.min_requests} on ${shortSide(e.canary.requests, e.stable.requests, policy.min_requests)}`;
  }
  const test =
    e.comparison.z === null ? "Fisher's exact" : `two-proportion z = ${e.comparison.z.toFixed(2)},`;
  const ceiling =
    e.canary.rate_pct > policy.max_error_rate_5xx
      ? `, and ${percent(e.canary.rate_pct)} % is above max_error_rate_5xx ${policy.max_error_rate_5xx} %`
      : '';
  return `errors: canary 5xx ${rate(e.canary)} vs stable ${rate(e.stable)}, ${test} ${compared(e.comparison.p_value, alpha)}${ceiling} → ${verdict}`;
}
