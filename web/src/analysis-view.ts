import type { JournalRow } from './api-types.js';
import { formatNumber, formatTime, h, replaceRegion } from './dom.js';
import { drawChart } from './metrics-chart.js';
import { observationsOf, type ObservationPoint, type SideMetrics } from './metrics-points.js';

/**
 * Canary against stable: the latency and 5xx charts over the deploy's observations, then the
 * last verdict in words and numbers, as the analysis journaled them (README, "Canary analysis").
 */
export function renderAnalysis(region: HTMLElement, rows: JournalRow[], pending: boolean): void {
  const points = observationsOf(rows);
  const last = points.at(-1);
  if (!last) {
    const why = pending
      ? 'No observation yet: the analysis runs at the end of each observation window.'
      : 'No analysis was journaled for this deploy (it was not observed).';
    replaceRegion(region, h('p', { class: 'empty' }, why));
    return;
  }
  const latency = drawChart(
    'latency, median to p95',
    'ms',
    points,
    (s) => ({ low: s.median_ms, high: s.p95_ms }),
    last.baseline.p95_ms,
  );
  const errors = drawChart(
    '5xx rate',
    '%',
    points,
    (s) => ({ low: null, high: s.error_pct }),
    last.baseline.error_pct,
  );
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'key key-canary' }, 'canary'),
    h('span', { class: 'key key-stable' }, 'stable'),
    h('span', { class: 'key key-baseline' }, 'baseline before the deploy'),
  );
  replaceRegion(
    region,
    h(
      'div',
      { class: 'charts' },
      h('figure', {}, latency, h('figcaption', {}, 'Latency (ms)')),
      h('figure', {}, errors, h('figcaption', {}, '5xx rate (%)')),
    ),
    legend,
    verdictBlock(last, points.length),
  );
}

function verdictBlock(p: ObservationPoint, count: number): HTMLElement {
  const side = (name: string, s: SideMetrics | null) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, name),
      h('td', {}, s ? formatNumber(s.requests, 0) : '—'),
      h('td', {}, s ? formatNumber(s.median_ms) : '—'),
      h('td', {}, s ? formatNumber(s.p95_ms) : '—'),
      h('td', {}, s ? formatNumber(s.error_pct, 2) : '—'),
    );
  const head = h(
    'tr',
    {},
    ...['', 'requests', 'median ms', 'p95 ms', '5xx %'].map((t) => h('th', { scope: 'col' }, t)),
  );
  const tone = p.verdict === 'pass' ? 'ok' : p.verdict === 'fail' ? 'bad' : 'wait';
  const tests = [
    `latency p ${formatP(p.p_latency)}`,
    `shift ${formatNumber(p.shift_ms)} ms`,
    `5xx p ${formatP(p.p_errors)}`,
    ...['confidence', 'max_latency_increase_pct', 'max_error_rate_5xx', 'min_requests']
      .filter((k) => p.thresholds[k] !== undefined)
      .map((k) => `${k} ${String(p.thresholds[k])}`),
  ];
  return h(
    'div',
    { class: 'verdict', 'data-verdict': p.verdict },
    h(
      'p',
      {},
      h('span', { class: `badge tone-${tone}` }, `verdict: ${p.verdict}`),
      ` observation ${count} at ${formatTime(new Date(p.at).toISOString())}${p.percent === null ? '' : `, canary at ${p.percent} %`}`,
    ),
    h(
      'table',
      { class: 'numbers' },
      h('thead', {}, head),
      h('tbody', {}, side('canary', p.canary), side('stable', p.stable)),
    ),
    h('p', { class: 'muted small' }, tests.join(' · ')),
    ...p.reasons.map((r) => h('p', { class: 'reason' }, r)),
  );
}

/** A p-value as the analysis sentence reads it: "= 0.66", "< 0.0001". */
function formatP(p: number | null): string {
  if (p === null) return '—';
  return p > 0 && p < 0.0001 ? '< 0.0001' : `= ${formatNumber(p, 4)}`;
}
