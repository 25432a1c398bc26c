import type { AuditReport, Identity, LockInfo } from './api-types.js';
import { h, replaceRegion } from './dom.js';
import type { StreamState } from './event-stream.js';

/** The header's facts: who is signed in, whether events arrive live, the audit check, the locks. */
export function renderStatusBar(
  region: HTMLElement,
  facts: { who: Identity; stream: StreamState; audit: AuditReport | null; locks: LockInfo[] },
): void {
  const { who, stream, audit, locks } = facts;
  const auditText =
    audit === null
      ? 'audit: checking…'
      : audit.ok
        ? 'audit: chain verified'
        : `audit: ${audit.verdict} — ${audit.problem}`;
  const lockText =
    locks.length === 0
      ? 'no locks held'
      : locks.map((l) => `${l.environment} locked${l.stale ? ` (${l.stale})` : ''}`).join(', ');
  replaceRegion(
    region,
    h(
      'span',
      {
        class: `pill ${audit === null ? '' : audit.ok ? 'tone-ok' : 'tone-bad'}`,
        id: 'audit-status',
        'data-ok': audit === null ? null : String(audit.ok),
      },
      auditText,
    ),
    h('span', { class: 'pill', id: 'lock-status' }, lockText),
    h(
      'span',
      { class: `pill ${stream === 'live' ? 'tone-ok' : 'tone-wait'}`, id: 'stream-status' },
      stream === 'live' ? 'live' : stream,
    ),
    h('span', { class: 'pill', id: 'identity' }, `${who.name} · ${who.role}`),
  );
}
