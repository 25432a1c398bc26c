import type { TimelineStep } from './api-types.js';
import { formatDuration, formatTime, h, replaceRegion } from './dom.js';
import { stepBadge } from './state-badge.js';

/**
 * A deploy's steps as its journal tells them, one row each: name, status, start and duration; a
 * running step counts up from its start against `now`. Events (a flag set, an approval) are dots.
 */
export function renderTimeline(region: HTMLElement, steps: TimelineStep[], now: number): void {
  if (steps.length === 0) {
    replaceRegion(region, h('p', { class: 'empty' }, 'No steps journaled yet.'));
    return;
  }
  const longest = Math.max(1, ...steps.map((s) => durationOf(s, now) ?? 0));
  const rows = steps.map((s, i) => {
    const ms = durationOf(s, now);
    const width = s.status === 'event' ? 0 : Math.max(2, Math.round(((ms ?? 0) / longest) * 100));
    return h(
      'li',
      { class: `step step-${s.status}`, 'data-step': s.step, 'data-status': s.status, 'data-key': `${i}` },
      h('span', { class: 'step-name mono' }, s.step),
      stepBadge(s.status),
      h('span', { class: 'muted step-at' }, formatTime(s.started_at)),
      h('span', { class: 'step-ms' }, s.status === 'event' ? '' : formatDuration(ms)),
      h(
        'span',
        { class: 'step-bar', 'aria-hidden': 'true' },
        h('span', { class: 'step-fill', style: `width:${width}%` }),
      ),
    );
  });
  replaceRegion(region, h('ol', { class: 'timeline', 'aria-label': 'steps' }, ...rows));
}

function durationOf(step: TimelineStep, now: number): number | null {
  if (step.duration_ms !== null) return step.duration_ms;
  return step.status === 'running' ? Math.max(0, now - Date.parse(step.started_at)) : null;
}
