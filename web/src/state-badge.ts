import type { DeployState } from './api-types.js';
import { h } from './dom.js';

/** Each state's tone: the colour is a second cue, the word is always written out. */
const TONE: Record<DeployState, 'ok' | 'bad' | 'wait' | 'busy'> = {
  running: 'busy',
  interrupted: 'bad',
  paused: 'wait',
  awaiting_approval: 'wait',
  success: 'ok',
  rejected: 'bad',
  failed: 'bad',
  rolled_back: 'bad',
  rollback_failed: 'bad',
};

export function stateBadge(state: DeployState): HTMLElement {
  return h(
    'span',
    { class: `badge tone-${TONE[state] ?? 'busy'}`, 'data-state': state },
    state.replace('_', ' '),
  );
}

/** A step's status as a badge of the same family. */
export function stepBadge(status: 'running' | 'success' | 'failed' | 'event'): HTMLElement {
  const tone = { running: 'busy', success: 'ok', failed: 'bad', event: 'note' }[status];
  return h('span', { class: `badge tone-${tone}` }, status === 'event' ? 'event' : status);
}
