import type { DeployResult, Identity, JournalRow, TimelineStep } from './api-types.js';
import { renderActions } from './actions-view.js';
import { renderAnalysis } from './analysis-view.js';
import { h, replaceRegion } from './dom.js';
import { stateBadge } from './state-badge.js';
import { renderTimeline } from './timeline-view.js';

export interface DeployDetail {
  result: DeployResult;
  steps: TimelineStep[];
  rows: JournalRow[];
}

const region = (id: string) => document.getElementById(id)!;

/** The open deploy: its summary, actions, timeline and analysis, each in its own region. */
export function renderDeployDetail(
  detail: DeployDetail | null,
  who: Identity,
  announce: (text: string) => void,
  changed: () => void,
): void {
  const panel = region('deploy-detail');
  panel.hidden = detail === null;
  region('no-deploy').hidden = detail !== null;
  if (detail === null) return;
  const r = detail.result;
  const flag = `${r.flag_status.name} ${r.flag_status.state}${r.flag_status.percentage === null ? '' : ` ${r.flag_status.percentage} %`}`;
  replaceRegion(
    region('deploy-summary'),
    h('h2', { id: 'deploy-title' }, `${r.version} → ${r.environment}`, ' ', stateBadge(r.state)),
    h(
      'dl',
      { class: 'facts' },
      ...fact('deploy', h('span', { class: 'mono' }, r.deploy_id)),
      ...fact('strategy', `${r.strategy}${r.canary ? ` at ${r.canary.percentage} %${canaryNote(r)}` : ''}`),
      ...fact('status', r.status),
      ...fact('flag', flag),
      ...(r.approval ? fact('approval', approvalText(r.approval)) : []),
      ...(r.reason ? fact('reason', `${r.failed_step ? `${r.failed_step}: ` : ''}${r.reason}`) : []),
    ),
  );
  renderActions(region('deploy-actions'), r, who, announce, changed);
  renderTimeline(region('timeline'), detail.steps, Date.now());
  renderAnalysis(region('analysis'), detail.rows, r.status === 'pending' && r.strategy !== 'manual');
}

/** Redraws only the timeline, so running steps count up between events. */
export function tickTimeline(detail: DeployDetail | null): void {
  if (detail && detail.steps.some((s) => s.status === 'running'))
    renderTimeline(region('timeline'), detail.steps, Date.now());
}

/** The result says `paused` below 100 % even while the step is still observed: say it once it waits. */
function canaryNote(r: DeployResult): string {
  if (r.state === 'paused') return ', waiting for promote or abort';
  return r.canary?.state === 'promoted' ? ' (promoted)' : '';
}

/** "approved by alice, shipped as 01a2…", "pending: on staging, for production" */
function approvalText(a: NonNullable<DeployResult['approval']>): string {
  const text = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : null);
  const parts = [a.state];
  if (text('by')) parts.push(`by ${text('by')}`);
  if (text('deploy_id')) parts.push(`, shipped as ${text('deploy_id')!.slice(0, 13)}`);
  if (text('from_deploy')) parts.push(`from ${text('from_deploy')!.slice(0, 13)}`);
  if (a.state === 'pending' && text('applied_to'))
    parts.push(`on ${text('applied_to')}, for ${text('target')}`);
  return parts.join(' ').replace(' ,', ',');
}

function fact(term: string, value: Node | string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}
