import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { LockInfo } from '../../src/ports/lock.js';

/** The built adapter, imported by the child as a deploy process would. */
const ADAPTER = new URL('../../src/adapters/lock/sqlite-locks.js', import.meta.url).href;

const SCRIPT = `
import { hostname } from 'node:os';
const { openSqliteLocks } = await import(process.env.LOCK_ADAPTER);
const o = JSON.parse(process.env.LOCK_HOLD);
const locks = openSqliteLocks(o.path);
const owner = { user: o.user, host: hostname(), pid: process.pid, command: 'cutover deploy', deploy_id: null };
const lock = await locks.acquire(o.environment, owner, o.reason, { ttlMs: o.ttlMs });
if (o.deployId) await lock.setDeploy(o.deployId);
process.stdout.write(JSON.stringify(lock.info) + '\\n');
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', async () => { await locks.close(); process.exit(0); });
`;

export interface HoldOptions {
  environment?: string;
  reason?: string;
  user?: string;
  ttlMs?: number;
  deployId?: string;
}

export interface LockHolder {
  pid: number;
  info: LockInfo;
  /** sends the signal and resolves once the process is gone (reaped: its pid no longer answers) */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A separate node process that acquires a lock in `path` and holds it (heartbeat running) until killed. */
export async function holdLock(path: string, options: HoldOptions = {}): Promise<LockHolder> {
  const hold = {
    path,
    environment: 'production',
    reason: 'deploy 2.4.0',
    user: 'alice',
    ttlMs: 30_000,
    ...options,
  };
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    env: { ...process.env, LOCK_ADAPTER: ADAPTER, LOCK_HOLD: JSON.stringify(hold) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const info = await new Promise<LockInfo>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(JSON.parse(stdout.split('\n')[0]!));
    });
    void exited.then(([code]) =>
      reject(new Error(`lock holder exited (${code}) before holding:\n${stderr}`)),
    );
  });
  return {
    pid: child.pid!,
    info,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
