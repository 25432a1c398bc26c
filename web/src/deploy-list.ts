import type { DeployListItem } from './api-types.js';
import { formatTime, h, replaceRegion } from './dom.js';
import { stateBadge } from './state-badge.js';

/**
 * The deploys, newest first, as buttons: Tab reaches the list, the arrow keys move in it, Enter
 * or a click opens one. The open one is marked `aria-current`.
 */
export function renderDeployList(
  region: HTMLElement,
  deploys: DeployListItem[],
  selected: string | null,
  open: (id: string) => void,
): void {
  if (deploys.length === 0) {
    replaceRegion(region, h('p', { class: 'empty' }, 'No deploys yet.'));
    return;
  }
  const items = deploys.map((d) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'deploy-item',
          'data-key': d.deploy_id,
          'data-deploy': d.deploy_id,
          'aria-current': d.deploy_id === selected ? 'true' : null,
          onclick: () => open(d.deploy_id),
        },
        h('span', { class: 'mono' }, d.deploy_id.slice(0, 13)),
        stateBadge(d.state),
        h('span', { class: 'muted' }, `${d.environment} · ${formatTime(d.first_at)}`),
      ),
    ),
  );
  const list: HTMLUListElement = h(
    'ul',
    { class: 'deploy-list', onkeydown: (e) => moveFocus(e as KeyboardEvent, list) },
    ...items,
  );
  replaceRegion(region, list);
}

function moveFocus(e: KeyboardEvent, list: HTMLElement): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = [...list.querySelectorAll<HTMLButtonElement>('button')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
  next?.focus();
  e.preventDefault();
}
