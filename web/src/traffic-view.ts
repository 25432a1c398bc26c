import type { EnvironmentTraffic, FlagRecord } from './api-types.js';
import { h, replaceRegion } from './dom.js';

/** Tags are `{version}-{commit}-{timestamp}`: the version is what people recognise. */
const versionOf = (tag: string): string => tag.split('-')[0] ?? tag;

/**
 * Each environment's traffic split as one bar, a segment per version sized by its weight, and
 * written out beside it (the bar is a picture of the words, for those who cannot see it). The
 * version with the most traffic is drawn as stable, the others as new.
 */
export function renderTraffic(region: HTMLElement, environments: EnvironmentTraffic[]): void {
  const rows = environments.map(({ environment, versions }) => {
    const total = versions.reduce((sum, v) => sum + v.weight, 0);
    const sorted = [...versions].sort((a, b) => b.weight - a.weight);
    const words =
      sorted.length === 0
        ? 'nothing deployed'
        : sorted.map((v) => `${versionOf(v.tag)} ${share(v.weight, total)} %`).join(' · ');
    const segments = sorted.map((v, i) =>
      h('span', {
        class: `split-seg ${i === 0 ? 'seg-stable' : 'seg-new'}`,
        style: `flex-grow:${Math.max(v.weight, 0.0001)}`,
        title: `${v.tag}: ${share(v.weight, total)} %`,
      }),
    );
    return h(
      'div',
      { class: 'split', 'data-environment': environment },
      h(
        'div',
        { class: 'split-head' },
        h('strong', {}, environment),
        h('span', { class: 'split-words' }, words),
      ),
      h('div', { class: 'split-bar', role: 'img', 'aria-label': `${environment}: ${words}` }, ...segments),
    );
  });
  replaceRegion(region, ...rows);
}

const share = (weight: number, total: number): number =>
  total > 0 ? Math.round((weight / total) * 1000) / 10 : 0;

/** Every flag's state per environment, as a compact table. */
export function renderFlags(region: HTMLElement, flags: FlagRecord[], environments: string[]): void {
  if (flags.length === 0) {
    replaceRegion(region, h('p', { class: 'empty' }, 'No flags.'));
    return;
  }
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'flag'),
    ...environments.map((e) => h('th', { scope: 'col' }, e)),
  );
  const rows = flags.map((f) =>
    h(
      'tr',
      { 'data-flag': f.name },
      h('th', { scope: 'row', class: 'mono' }, f.name),
      ...environments.map((e) => {
        const s = f.environments[e];
        const text = !s ? '—' : s.state === 'on' ? `on ${s.percentage} %` : 'off';
        return h('td', { class: s?.state === 'on' ? 'flag-on' : 'flag-off', 'data-environment': e }, text);
      }),
    ),
  );
  replaceRegion(region, h('table', { class: 'flags' }, h('thead', {}, head), h('tbody', {}, ...rows)));
}
