import { CutoverError } from '../../core/errors.js';
import { formatDuration } from '../../core/schema/duration.js';
import type { LockInfo, LockOwner } from '../../ports/lock.js';

export const LOCKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS locks (
  environment TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  user TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  command TEXT NOT NULL,
  deploy_id TEXT,
  reason TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fences (environment TEXT PRIMARY KEY, token INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS store_identity (one INTEGER PRIMARY KEY CHECK (one = 1), id TEXT NOT NULL);
INSERT OR IGNORE INTO store_identity VALUES (1, lower(hex(randomblob(16))));
`;

export interface LockRow {
  environment: string;
  owner_id: string;
  user: string;
  host: string;
  pid: number;
  command: string;
  deploy_id: string | null;
  reason: string;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
}

export function toInfo(r: LockRow): LockInfo {
  return {
    environment: r.environment,
    owner: {
      id: r.owner_id,
      user: r.user,
      host: r.host,
      pid: r.pid,
      command: r.command,
      deploy_id: r.deploy_id,
    },
    reason: r.reason,
    acquired_at: r.acquired_at,
    heartbeat_at: r.heartbeat_at,
    expires_at: r.expires_at,
  };
}

export function newLockInfo(
  environment: string,
  owner: LockOwner,
  reason: string,
  now: Date,
  ttlMs: number,
): LockInfo {
  const at = now.toISOString();
  const expires_at = new Date(now.getTime() + ttlMs).toISOString();
  return { environment, owner, reason, acquired_at: at, heartbeat_at: at, expires_at };
}

export function toRow(info: LockInfo): LockRow {
  const { id, ...owner } = info.owner;
  return {
    environment: info.environment,
    owner_id: id,
    ...owner,
    reason: info.reason,
    acquired_at: info.acquired_at,
    heartbeat_at: info.heartbeat_at,
    expires_at: info.expires_at,
  };
}

/** `alice@host (pid 1234, cutover deploy, deploy 0193…) since <time>, reason "…"` */
export function describeOwner(info: LockInfo): string {
  const { user, host, pid, command, deploy_id } = info.owner;
  const deploy = deploy_id ? `, deploy ${deploy_id}` : '';
  return `${user}@${host} (pid ${pid}, ${command}${deploy}) since ${info.acquired_at}, reason ${JSON.stringify(info.reason)}`;
}

/** {@link describeOwner}, then `; expires <time> unless renewed` */
export function describeHolder(info: LockInfo): string {
  return `${describeOwner(info)}; expires ${info.expires_at} unless renewed`;
}

/** `E_LOCK_HELD` naming the holder, and how long the caller waited if it did. */
export function heldError(environment: string, holder: LockInfo, waitedMs: number): CutoverError {
  const waited = waitedMs > 0 ? `; gave up after waiting ${formatDuration(waitedMs)}` : '';
  return new CutoverError(
    'E_LOCK_HELD',
    `environment ${environment} is locked by ${describeHolder(holder)}${waited}`,
    { environment, holder, waited_ms: waitedMs },
  );
}

export interface Liveness {
  /** this machine's name: a pid is only meaningful on the host that wrote it */
  hostname: string;
  isProcessAlive(pid: number): boolean;
}

/** Why a holder may be replaced without its consent, or undefined while it counts as alive. */
export function goneReason(info: LockInfo, now: Date, liveness: Liveness): 'expired' | 'dead' | undefined {
  if (now.getTime() > Date.parse(info.expires_at)) return 'expired';
  if (info.owner.host === liveness.hostname && !liveness.isProcessAlive(info.owner.pid)) return 'dead';
  return undefined;
}

/** `kill(pid, 0)`: ESRCH means no such process; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
