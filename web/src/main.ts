import { callApi, tokenStore, whenUnauthorized } from './api-client.js';
import type {
  AuditReport,
  DeployListItem,
  DeployResult,
  EnvironmentTraffic,
  FlagRecord,
  Identity,
  JournalRow,
  LockInfo,
  TimelineStep,
} from './api-types.js';
import { renderDeployDetail, tickTimeline, type DeployDetail } from './deploy-detail.js';
import { renderDeployList } from './deploy-list.js';
import { followEvents, type StreamState } from './event-stream.js';
import { renderStatusBar } from './status-bar.js';
import { resumeSession, showTokenScreen } from './token-screen.js';
import { renderFlags, renderTraffic } from './traffic-view.js';

const $ = (id: string) => document.getElementById(id)!;
const AUDIT_MS = 5000;

/**
 * The dashboard's loop: everything is read from the API, and read again shortly after any journal
 * event arrives on the stream (coalesced, one refresh at a time), so what is shown is always
 * what the server says now, never a state the page worked out on its own.
 */
function startDashboard(who: Identity): void {
  $('dashboard').hidden = false;
  let selected: string | null = location.hash.slice(1) || null;
  let pinned = selected !== null;
  let detail: DeployDetail | null = null;
  let stream: StreamState = 'connecting';
  let audit: AuditReport | null = null;
  let locks: LockInfo[] = [];
  let running: Promise<void> | null = null;
  let again = false;

  const announce = (text: string): void => {
    $('announce').textContent = text;
  };
  const status = () => renderStatusBar($('status-bar'), { who, stream, audit, locks });
  const open = (id: string) => {
    selected = id;
    pinned = true;
    history.replaceState(null, '', `#${id}`);
    void refresh();
  };
  const readAll = async () => {
    const [list, traffic, flags, lockDoc] = await Promise.all([
      callApi<{ deploys: DeployListItem[] }>('/api/deploys?limit=30'),
      callApi<{ environments: EnvironmentTraffic[] }>('/api/traffic'),
      callApi<{ flags: FlagRecord[] }>('/api/flags'),
      callApi<{ locks: LockInfo[] }>('/api/lock'),
    ]);
    checkAudit();
    // Until someone opens a deploy, the newest one is shown: what a watcher wants to see.
    if (!pinned) selected = list.deploys[0]?.deploy_id ?? null;
    renderDeployList($('deploy-list'), list.deploys, selected, open);
    renderTraffic($('traffic'), traffic.environments);
    renderFlags(
      $('flags'),
      flags.flags,
      traffic.environments.map((e) => e.environment),
    );
    locks = lockDoc.locks;
    status();
    detail = selected === null ? null : await readDeploy(selected);
    renderDeployDetail(detail, who, announce, () => void refresh());
  };
  // audit verify reads the whole journal: at most once per AUDIT_MS, and once more after the last ask.
  let audited = 0;
  let auditTimer: ReturnType<typeof setTimeout> | undefined;
  const checkAudit = (): void => {
    if (auditTimer !== undefined) return;
    auditTimer = setTimeout(
      () => {
        auditTimer = undefined;
        audited = Date.now();
        void callApi<AuditReport>('/api/audit')
          .then((report) => (audit = report))
          .catch((err: unknown) => (audit = { ok: false, verdict: 'UNKNOWN', problem: String(err) }))
          .then(status);
      },
      Math.max(0, audited + AUDIT_MS - Date.now()),
    );
  };
  const refresh = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = readAll()
      .catch((err: unknown) => announce(`Could not read the server: ${String(err)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void refresh();
        }
      });
    return running;
  };
  const stop = followEvents(
    () => void refresh(),
    (state) => {
      stream = state;
      status();
      if (state === 'live') void refresh();
    },
    () => signOut('The server no longer accepts this token.'),
  );
  const ticker = setInterval(() => tickTimeline(detail), 1000);
  const signOut = (message = '') => {
    stop();
    clearInterval(ticker);
    clearTimeout(auditTimer);
    tokenStore.clear();
    showTokenScreen(startDashboard, message);
  };
  whenUnauthorized(() => signOut('The server no longer accepts this token.'));
  $('sign-out').onclick = () => signOut();
  status();
}

async function readDeploy(id: string): Promise<DeployDetail> {
  const path = `/api/deploys/${encodeURIComponent(id)}`;
  const [status, timeline, log] = await Promise.all([
    callApi<{ deploy_result: DeployResult }>(path),
    callApi<{ steps: TimelineStep[] }>(`${path}/timeline`),
    callApi<{ rows: JournalRow[] }>(`${path}/log`),
  ]);
  return { result: status.deploy_result, steps: timeline.steps, rows: log.rows };
}

void resumeSession().then((who) => (who ? startDashboard(who) : showTokenScreen(startDashboard)));
