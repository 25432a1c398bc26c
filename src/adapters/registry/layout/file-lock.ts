import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CutoverError, type ErrorCode } from '../../../core/errors.js';

export interface LockOptions {
  /** ms after which a lock nobody released is presumed abandoned by a crashed holder. */
  staleMs?: number;
  /** ms to wait for the lock before giving up with `code`. */
  timeoutMs?: number;
  /** ms between attempts. */
  pollMs?: number;
  code?: ErrorCode;
}

/**
 * Runs `fn` holding an exclusive lock file (created with `wx`, removed in finally). Meant for short
 * critical sections such as a read-modify-write of index.json by concurrent pushers or builds.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const token = `${hostname()} ${process.pid} ${randomBytes(8).toString('hex')}`;
  await acquireLock(lockPath, token, options);
  try {
    return await fn();
  } finally {
    await releaseLock(lockPath, token);
  }
}

async function acquireLock(lockPath: string, token: string, options: LockOptions): Promise<void> {
  const { staleMs = 10_000, timeoutMs = 30_000, pollMs = 20, code = 'E_LOCK_HELD' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o644);
      await handle.writeFile(token).finally(() => handle.close());
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new CutoverError(
          code,
          `cannot create lock ${lockPath}: ${(err as Error).message}`,
          { lock: lockPath },
          err,
        );
    }
    if (await isAbandoned(lockPath, staleMs)) {
      await breakLock(lockPath);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CutoverError(code, `lock ${lockPath} is still held after ${timeoutMs} ms`, {
        lock: lockPath,
        timeoutMs,
      });
    }
    await sleep(pollMs + Math.floor(Math.random() * pollMs));
  }
}

/** Old enough, or held by a process of this host that no longer exists (kill -9 leaves its lock). */
async function isAbandoned(lockPath: string, staleMs: number): Promise<boolean> {
  const info = await stat(lockPath).catch(() => undefined);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > staleMs) return true;
  const [host, pid] = (await readFile(lockPath, 'utf8').catch(() => '')).split(' ');
  return host === hostname() && pid !== undefined && !isProcessAlive(Number(pid));
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves the abandoned lock aside instead of deleting it by name: if a live holder replaced it in
 * the meantime, the moved file is not the one judged abandoned and is put back with `link`, which
 * fails rather than overwrite a lock a third process may have taken since.
 */
async function breakLock(lockPath: string): Promise<void> {
  const before = await stat(lockPath).catch(() => undefined);
  if (!before) return;
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved && moved.ino !== before.ino) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Removes the lock only if it is still ours: a holder presumed dead must not free a live one. */
async function releaseLock(lockPath: string, token: string): Promise<void> {
  const content = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (content === token) await rm(lockPath, { force: true });
}
