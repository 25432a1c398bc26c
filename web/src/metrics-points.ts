import type { JournalRow } from './api-types.js';

/** One side of one observation: latency distribution (median to p95) and 5xx rate. */
export interface SideMetrics {
  requests: number | null;
  median_ms: number | null;
  p95_ms: number | null;
  error_pct: number | null;
}

/** One judged observation of a deploy, as its ANALYSIS_RESULT (or BATCH_ANALYSIS) row says. */
export interface ObservationPoint {
  at: number;
  verdict: string;
  percent: number | null;
  canary: SideMetrics;
  /** what the canary was compared with in the same window; null when nothing served beside it */
  stable: SideMetrics | null;
  baseline: { p95_ms: number | null; error_pct: number | null };
  reasons: string[];
  p_latency: number | null;
  p_errors: number | null;
  shift_ms: number | null;
  thresholds: Record<string, unknown>;
}

type Loose = Record<string, unknown> | undefined;
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The observations of a deploy, in journal order. The statistical method's numbers are used when
 * present (medians, p95s, request counts of both sides); older threshold analyses carry only the
 * canary's p95 and 5xx rate, and show only those.
 */
export function observationsOf(rows: JournalRow[]): ObservationPoint[] {
  const points: ObservationPoint[] = [];
  for (const row of rows) {
    const e = row.event;
    if (e.type !== 'ANALYSIS_RESULT' && e.type !== 'BATCH_ANALYSIS') continue;
    const analysis = obj(e.analysis) ?? e;
    const stats = obj(analysis.statistics);
    const latency = obj(stats?.latency);
    const errors = obj(stats?.errors);
    const canarySnap = obj(analysis.canary);
    const baseline = obj(analysis.baseline);
    const side = (name: 'canary' | 'stable'): SideMetrics => {
      const l = obj(latency?.[name]);
      const r = obj(errors?.[name]);
      return {
        requests: num(r?.requests) ?? num(l?.samples),
        median_ms: num(l?.median_ms),
        p95_ms: num(l?.p95_ms),
        error_pct: num(r?.rate_pct),
      };
    };
    const canary = side('canary');
    canary.p95_ms ??= num(canarySnap?.latency_p95_ms);
    canary.error_pct ??= num(canarySnap?.error_rate_5xx);
    canary.requests ??= num(canarySnap?.samples);
    points.push({
      at: Date.parse(row.at),
      verdict: String(analysis.verdict ?? e.verdict ?? 'unknown'),
      percent: num(e.percent),
      canary,
      stable: analysis.compared_with === 'stable' ? side('stable') : null,
      baseline: { p95_ms: num(baseline?.latency_p95_ms), error_pct: num(baseline?.error_rate_5xx) },
      reasons: Array.isArray(analysis.reasons) ? analysis.reasons.map(String) : [],
      p_latency: num(obj(latency?.mann_whitney)?.p_value),
      p_errors: num(obj(errors?.comparison)?.p_value),
      shift_ms: num(latency?.hodges_lehmann_ms),
      thresholds: obj(analysis.thresholds) ?? {},
    });
  }
  return points;
}
