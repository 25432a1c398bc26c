import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';
import type { HostRecord } from './model/host.js';

export type { HostRecord, HostStatus } from './model/host.js';

type HostEvent = Extract<
  DeployEvent,
  {
    type:
      | 'HOST_APPLY_START'
      | 'HOST_APPLY_SUCCESS'
      | 'HOST_APPLY_FAILED'
      | 'HOST_RESTORED'
      | 'HOST_UNRECONCILED'
      | 'HOST_FORGOTTEN';
  }
>;

/** Folds the per-host events; hosts keep the order their changes started in. */
export function evolveHosts(s: DeployState, event: HostEvent): DeployState {
  const hosts = [...(s.hosts ?? [])];
  const at = hosts.findIndex((h) => h.host === event.host && h.environment === event.environment);
  const put = (record: HostRecord) => {
    if (at < 0) hosts.push(record);
    else hosts[at] = record;
    return { ...s, hosts };
  };
  const base = { host: event.host, environment: event.environment };
  switch (event.type) {
    case 'HOST_APPLY_START':
      return put({ ...base, status: 'applying' });
    case 'HOST_APPLY_SUCCESS':
      return put({ ...base, status: 'applied' });
    case 'HOST_APPLY_FAILED':
      return put({ ...base, status: 'failed', detail: `${event.code}: ${event.reason}` });
    case 'HOST_RESTORED':
      return put({ ...base, status: 'restored' });
    case 'HOST_UNRECONCILED':
      return put({ ...base, status: 'unreconciled', detail: `${event.code}: ${event.reason}` });
    case 'HOST_FORGOTTEN':
      return put({ ...base, status: 'forgotten', detail: `by ${event.by}: ${event.reason}` });
  }
}

/** The hosts a deploy changed (or may have), oldest first: what a rollback must put back. */
export function touchedHosts(state: DeployState): string[] {
  return (state.hosts ?? []).filter((h) => h.status !== 'forgotten').map((h) => h.host);
}

/** Hosts a rollback could not put back and nobody forgot: the environment is not reconciled. */
export function unreconciledHosts(state: DeployState): string[] {
  return (state.hosts ?? []).filter((h) => h.status === 'unreconciled').map((h) => h.host);
}
