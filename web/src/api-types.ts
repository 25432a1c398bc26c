// The documents of cutover serve's API the dashboard reads, as README "cutover serve" describes
// them; only the fields it shows. The server's own types live in src/ (Node), this page does not
// import them so that it compiles for the browser alone.

export type Role = 'viewer' | 'deployer' | 'approver' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'deployer', 'approver', 'admin'];

export interface Identity {
  name: string;
  role: Role;
}

export type DeployState =
  | 'running'
  | 'interrupted'
  | 'paused'
  | 'awaiting_approval'
  | 'success'
  | 'rejected'
  | 'failed'
  | 'rolled_back'
  | 'rollback_failed';

export interface DeployListItem {
  deploy_id: string;
  environment: string;
  first_at: string;
  last_at: string;
  last_type: string;
  state: DeployState;
}

export interface DeployResult {
  status: 'success' | 'failed' | 'pending';
  version: string;
  environment: string;
  flag_status: { name: string; state: string; percentage: number | null };
  baseline_snapshot: { latency_p95_ms: number | null; error_rate_5xx: number | null; samples: number };
  deploy_id: string;
  state: DeployState;
  strategy: 'fast-track' | 'canary' | 'manual';
  canary?: { percentage: number; state: 'paused' | 'promoted' };
  approval?: { state: string; [key: string]: unknown };
  reason?: string;
  failed_step?: string;
}

export interface TimelineStep {
  step: string;
  status: 'running' | 'success' | 'failed' | 'event';
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
}

export interface JournalRow {
  id: number;
  deploy_id: string;
  at: string;
  event: { type: string; [key: string]: unknown };
}

export interface EnvironmentTraffic {
  environment: string;
  versions: Array<{ tag: string; digest: string; weight: number }>;
}

export interface FlagRecord {
  name: string;
  environments: Record<string, { state: string; percentage: number }>;
}

export type AuditReport =
  | { ok: true; head: { seq?: number; id?: number; hash?: string }; notes: string[] }
  | { ok: false; verdict: string; problem: string };

export interface LockInfo {
  environment: string;
  owner: { [key: string]: unknown };
  reason: string;
  expires_at: string;
  stale: 'expired' | 'dead' | null;
}
