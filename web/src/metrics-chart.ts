import { formatNumber, svg } from './dom.js';
import type { ObservationPoint, SideMetrics } from './metrics-points.js';

const W = 320;
const H = 150;
const PAD = { left: 40, right: 10, top: 10, bottom: 22 };

interface Series {
  name: 'canary' | 'stable';
  points: Array<{ at: number; low: number | null; high: number | null }>;
}

/**
 * One small chart: canary against stable over the deploy's observations, one point per
 * observation. For latency each point is a bar from the median to the p95 (the distribution's
 * body) with a dot on the p95; for 5xx a dot on the rate. A dashed line is the pre-deploy baseline.
 */
export function drawChart(
  title: string,
  unit: string,
  points: ObservationPoint[],
  pick: (side: SideMetrics) => { low: number | null; high: number | null },
  baseline: number | null,
): SVGElement {
  const series: Series[] = [
    { name: 'stable', points: points.flatMap((p) => (p.stable ? [{ at: p.at, ...pick(p.stable) }] : [])) },
    { name: 'canary', points: points.map((p) => ({ at: p.at, ...pick(p.canary) })) },
  ];
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.low, p.high]));
  // Scaled to canary and stable: a baseline far above them (a cold start before the deploy) is
  // written at the top instead of flattening both to the axis.
  const top = niceCeiling(Math.max(0, ...values.filter((v): v is number => v !== null)));
  const times = points.map((p) => p.at);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const x = (t: number) => PAD.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const shift = { stable: -4, canary: 4 };
  const marks = series.flatMap((s) => {
    const pts = s.points.filter((p) => p.high !== null);
    const line = pts
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at) + shift[s.name]},${y(p.high!)}`)
      .join(' ');
    return [
      pts.length > 1 ? svg('path', { d: line, class: `line-${s.name}` }) : null,
      ...pts.flatMap((p) => [
        p.low === null
          ? null
          : svg('rect', {
              x: x(p.at) + shift[s.name] - 3,
              y: y(p.high!),
              width: 6,
              height: Math.max(1, y(p.low) - y(p.high!)),
              class: `body-${s.name}`,
            }),
        svg('circle', { cx: x(p.at) + shift[s.name], cy: y(p.high!), r: 3.5, class: `dot-${s.name}` }),
      ]),
    ];
  });
  const grid = [0, top / 2, top].map((v) => [
    svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
    svg('text', { x: PAD.left - 4, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, formatNumber(v, 2)),
  ]);
  const base =
    baseline === null
      ? null
      : baseline > top
        ? svg(
            'text',
            { x: W - PAD.right, y: PAD.top + 8, class: 'tick', 'text-anchor': 'end' },
            `baseline ${formatNumber(baseline)} ${unit} ↑`,
          )
        : svg('line', {
            x1: PAD.left,
            x2: W - PAD.right,
            y1: y(baseline),
            y2: y(baseline),
            class: 'baseline',
          });
  const label = `${title}: ${describe(series, unit)}${baseline === null ? '' : `; baseline ${formatNumber(baseline)} ${unit}`}`;
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label },
    svg('title', {}, label),
    ...grid.flat(),
    base,
    ...marks,
    svg('text', { x: PAD.left, y: H - 6, class: 'tick' }, unit),
  );
}

function describe(series: Series[], unit: string): string {
  return series
    .map((s) => {
      const last = s.points.at(-1);
      return `${s.name} ${last ? formatNumber(last.high) : '—'} ${unit}`;
    })
    .join(', ');
}

/** 1, 2 or 5 times a power of ten, at least `v`: round numbers for the top of the axis. */
function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].map((m) => m * power).find((n) => n >= v) ?? 10 * power) * 1.0;
}
