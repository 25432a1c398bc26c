import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { CutoverError } from '../core/errors.js';

/** The pid in the daemon's pid file, or null when there is none. */
export async function readPidFile(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * True when `pid` is alive and is a runtime daemon: a pid file can outlive its process, and the
 * kernel may have given that pid to something else since.
 */
export function isRuntimeDaemon(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon-main');
  } catch {
    return false;
  }
}

/**
 * Claims the pid file for this process. Refuses when another live daemon holds it; a stale
 * file is replaced.
 */
export async function claimPidFile(file: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readPidFile(file);
    if (holder !== null && holder !== process.pid && isRuntimeDaemon(holder)) {
      throw new CutoverError('E_RUNTIME_UNAVAILABLE', `a runtime daemon already runs (pid ${holder})`, {
        pid: holder,
      });
    }
    await unlink(file).catch(() => undefined);
  }
  throw new CutoverError('E_RUNTIME_UNAVAILABLE', `cannot claim pid file ${file}`, {});
}

/** Removes the pid file if it is still this process's. */
export async function releasePidFile(file: string): Promise<void> {
  if ((await readPidFile(file)) === process.pid) await unlink(file).catch(() => undefined);
}

/** Waits until `pid` is gone; false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** True while `pid` runs; a zombie (dead, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
