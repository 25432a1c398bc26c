import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { packageFile } from '../../lib/package-root.js';
import { readLogTail } from '../../lib/log-tail.js';
import type { EnvironmentView, ProcessView } from './api-types.js';
import { RuntimeClient } from './admin-client.js';
import { daemonEnvironment } from './daemon-env.js';
import { MAX_SOCKET_PATH_BYTES, resolveRuntimePaths, type RuntimePaths } from './paths.js';
import { isRuntimeDaemon, readPidFile, waitForExit } from './pid-file.js';
import { routerProcessCount } from './router-processes.js';

export { RuntimeClient } from './admin-client.js';

export interface DaemonStatus {
  running: boolean;
  pid?: number;
  router_pids?: number[];
  uptime_ms?: number;
  restoring?: boolean;
  environments?: EnvironmentView[];
  processes?: ProcessView[];
}

const DAEMON_MAIN = packageFile('dist/src/runtime/daemon/daemon-main.js');
const START_TIMEOUT_MS = 10_000;
// Restarting saved versions waits for their health checks; past this the caller gets the client anyway.
const RESTORE_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * A client of the runtime daemon in `runtimeDir` (default: the state dir's), starting the daemon
 * (detached, in the background) when none answers. Resolves once the daemon answers and has
 * restored its saved versions.
 */
export async function ensureDaemon(stateDir: string, runtimeDir?: string): Promise<RuntimeClient> {
  const paths = checkedPaths(stateDir, runtimeDir);
  const client = new RuntimeClient(paths.socket);
  if (!(await answers(client))) {
    // Checked here too, so a bad value is the caller's error rather than a daemon that will not start.
    routerProcessCount();
    mkdirSync(paths.dir, { recursive: true });
    const holder = await readPidFile(paths.pidFile);
    // A daemon that holds the pid file but does not answer yet is still starting up.
    const child = holder !== null && isRuntimeDaemon(holder) ? null : spawnDaemon(paths, resolve(stateDir));
    await waitUntilAnswering(client, paths, child);
  }
  await waitUntilRestored(client);
  return client;
}

/** Asks the daemon to stop and waits until its process is gone; false when none ran. */
export async function stopDaemon(stateDir: string, runtimeDir?: string): Promise<boolean> {
  const paths = checkedPaths(stateDir, runtimeDir);
  const client = new RuntimeClient(paths.socket);
  const status = await client.status(2000).catch(() => null);
  const pid = status?.pid ?? (await readPidFile(paths.pidFile));
  const alive = pid !== null && isRuntimeDaemon(pid);
  if (status === null && !alive) {
    await unlink(paths.pidFile).catch(() => undefined);
    return false;
  }
  const asked =
    status !== null &&
    (await client.shutdown().then(
      () => true,
      () => false,
    ));
  if (pid === null) return true;
  if (!asked) process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5000);
  }
  return true;
}

export async function daemonStatus(stateDir: string, runtimeDir?: string): Promise<DaemonStatus> {
  const client = new RuntimeClient(checkedPaths(stateDir, runtimeDir).socket);
  const status = await client.status(5000).catch(() => null);
  if (status === null) return { running: false };
  return { running: true, ...status };
}

function spawnDaemon(paths: RuntimePaths, stateDir: string): { exited: boolean } {
  const fd = openSync(paths.logFile, 'a');
  try {
    const child = spawn(
      process.execPath,
      [DAEMON_MAIN, '--state-dir', stateDir, '--runtime-dir', paths.dir],
      {
        cwd: paths.dir,
        // Not the CLI's environment: the daemon outlives it, and its environ is readable by any
        // process of the same user, including the apps it runs.
        env: daemonEnvironment(),
        detached: true,
        stdio: ['ignore', fd, fd],
      },
    );
    const state = { exited: false };
    child.once('exit', () => (state.exited = true));
    child.unref();
    return state;
  } finally {
    closeSync(fd);
  }
}

async function waitUntilAnswering(
  client: RuntimeClient,
  paths: RuntimePaths,
  child: { exited: boolean } | null,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await answers(client)) return;
    const holder = await readPidFile(paths.pidFile);
    const someoneStarting = holder !== null && isRuntimeDaemon(holder);
    if ((child?.exited && !someoneStarting) || Date.now() >= deadline) {
      const tail = await readLogTail(paths.logFile, 5);
      throw new CutoverError(
        'E_RUNTIME_UNAVAILABLE',
        `the runtime daemon did not start (socket ${paths.socket}); daemon log:\n${tail}`,
        { socket: paths.socket, log_file: paths.logFile },
      );
    }
    await sleep(50);
  }
}

async function waitUntilRestored(client: RuntimeClient): Promise<void> {
  const deadline = Date.now() + RESTORE_TIMEOUT_MS;
  while ((await client.status()).restoring && Date.now() < deadline) await sleep(100);
}

function answers(client: RuntimeClient): Promise<boolean> {
  return client.status(2000).then(
    () => true,
    () => false,
  );
}

function checkedPaths(stateDir: string, runtimeDir: string | undefined): RuntimePaths {
  const paths = resolveRuntimePaths(resolve(stateDir), runtimeDir && resolve(runtimeDir));
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH_BYTES) {
    throw new CutoverError(
      'E_RUNTIME_UNAVAILABLE',
      `the runtime socket path ${paths.socket} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; use a shorter state dir or target.runtime_dir`,
      { socket: paths.socket },
    );
  }
  return paths;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
