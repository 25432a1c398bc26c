import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { CutoverError } from '../../core/errors.js';

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
  /** asks it to stop, forces it after `graceMs`, and resolves once it is gone */
  terminate(graceMs: number): Promise<void>;
  /** the podman container it runs in, for the podman runner */
  container?: string;
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
    const proc: VersionProcess = {
      pid,
      exited,
      hasExited: () => done,
      terminate: (graceMs) => terminateProcess(proc, graceMs),
    };
    return proc;
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

export function describeExit(exit: ProcessExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return exit.code === null ? 'could not be started' : `exited with code ${exit.code}`;
}
