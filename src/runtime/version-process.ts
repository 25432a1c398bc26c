import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CutoverError } from '../core/errors.js';
import { completeLines } from '../core/tail-window.js';

/** How a version's process ended: exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface VersionProcess {
  pid: number;
  /** resolves when the process is gone; never rejects */
  exited: Promise<ProcessExit>;
  hasExited(): boolean;
}

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}

/**
 * Starts the process in its own process group (so stopping it also stops what it forked), with
 * stdout and stderr appended to its log file. When the leader exits, for whatever reason, the rest
 * of its group is killed at once: a version is its whole group, and what it forked would otherwise
 * run on unseen by the runtime.
 */
export async function spawnVersionProcess(request: SpawnRequest): Promise<VersionProcess> {
  mkdirSync(dirname(request.logFile), { recursive: true });
  const fd = openSync(request.logFile, 'a');
  const [command, ...args] = request.argv as [string, ...string[]];
  try {
    const child = spawn(command, args, {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    let done = false;
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        // The kernel does not reuse a pid that still names a process group, and the leader was
        // reaped just now: this reaches what it forked, and no stranger.
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
        resolve({ code, signal });
      });
      child.once('error', () => resolve({ code: null, signal: null }));
    }).finally(() => {
      done = true;
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', (err) => reject(err));
    }).catch((err: Error) => {
      throw new CutoverError(
        'E_APPLY_FAILED',
        `cannot run ${command}: ${err.message}`,
        { argv: request.argv },
        err,
      );
    });
    return { pid, exited, hasExited: () => done };
  } finally {
    closeSync(fd);
  }
}

/** Sends `signal` to the whole process group; a group that is already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** SIGTERM, then SIGKILL once `graceMs` passed without the process exiting. */
export async function terminateProcess(proc: VersionProcess, graceMs: number): Promise<void> {
  // Once the leader is gone its pid may be reused; signalling it then could hit a stranger.
  if (proc.hasExited()) return;
  signalGroup(proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([proc.exited, gaveUp]);
  clearTimeout(timer);
  // Children the leader forked may outlive it; the group kill reaches them too.
  signalGroup(proc.pid, 'SIGKILL');
  if (outcome === 'timeout') await proc.exited;
}

// How much of a log's end is read for its last lines.
const LOG_TAIL_BYTES = 4096;

/**
 * The last `lines` complete lines of a log file, for error messages; empty when there is none.
 * Only the last {@link LOG_TAIL_BYTES} are read, and never the partial line they may start with
 * (see completeLines): an error quoting it is redacted, and a cut secret would not be.
 */
export async function readLogTail(file: string, lines = 10): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const cut = length < size;
    const text = completeLines(buffer.toString('utf8'), cut);
    if (cut && text === '') return `(its last line is longer than ${LOG_TAIL_BYTES} bytes: not shown)`;
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}

export function describeExit(exit: ProcessExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return exit.code === null ? 'could not be started' : `exited with code ${exit.code}`;
}
