import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { podmanExec, podmanOk } from '../../lib/podman/podman-exec.js';
import { PODMAN_ULIMIT_ARGS } from '../../lib/podman/podman-command.js';
import { readProcStat } from '../daemon/cpu-history.js';
import type { ProcessExit, VersionProcess } from '../daemon/version-process.js';

// How often a container's process is looked for in /proc to learn that it exited.
const EXIT_POLL_MS = 200;

export interface RunContainerRequest {
  name: string;
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  logFile: string;
  resources?: { memory?: string; cpus?: number };
}

/** Why a run did not start: the name is taken, or the image is not in podman's storage. */
export type RunRefusal = 'name-taken' | 'no-image';

/**
 * `podman run -d` on the host network (the version listens on its own loopback port, as a process
 * would), with its output in `logFile` (k8s-file format), its pid in a file beside it, and the
 * labels a restarted daemon adopts it by. Never pulls (`--pull never`): a missing image, like a
 * name already taken, is handed back to the caller, who knows what to do about it.
 */
export async function runVersionContainer(
  request: RunContainerRequest,
): Promise<VersionProcess | RunRefusal> {
  await mkdir(dirname(request.logFile), { recursive: true });
  const pidFile = `${request.logFile}.pid`;
  const args = ['run', '--detach', '--pull', 'never', '--name', request.name, '--network', 'host'];
  args.push(...PODMAN_ULIMIT_ARGS, '--pidfile', pidFile);
  args.push('--log-driver', 'k8s-file', '--log-opt', `path=${request.logFile}`);
  for (const [k, v] of Object.entries(request.labels)) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(request.env)) args.push('--env', `${k}=${v}`);
  if (request.resources?.memory) args.push('--memory', request.resources.memory);
  if (request.resources?.cpus) args.push('--cpus', String(request.resources.cpus));
  const run = await podmanExec([...args, request.image]);
  if (run.code === 0) {
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    return watchContainer(request.name, pid > 0 ? pid : undefined);
  }
  if (/the container name .* is already in use/.test(run.stderr)) return 'name-taken';
  if (/image not known/.test(run.stderr)) return 'no-image';
  await removeContainer(request.name);
  throw new CutoverError('E_APPLY_FAILED', `podman run ${request.name} failed: ${lastLines(run.stderr)}`, {
    container: request.name,
  });
}

export interface FoundContainer {
  running: boolean;
  labels: Record<string, string>;
}

/** The container called `name`, or null when there is none. */
export async function inspectContainer(name: string): Promise<FoundContainer | null> {
  const out = await podmanExec(['container', 'inspect', name]);
  if (out.code !== 0) return null;
  const [info] = JSON.parse(out.stdout) as Array<{
    State?: { Running?: boolean };
    Config?: { Labels?: Record<string, string> };
  }>;
  if (!info) return null;
  return { running: info.State?.Running === true, labels: info.Config?.Labels ?? {} };
}

/**
 * A running container as a version process: its pid is the container's main process on the host
 * (for CPU), it has exited once that process is gone, and terminating it stops and removes it.
 */
export async function watchContainer(name: string, knownPid?: number): Promise<VersionProcess> {
  const pid =
    knownPid ??
    Number(
      (
        await podmanOk(
          ['container', 'inspect', '--format', '{{.State.Pid}}', name],
          'E_APPLY_FAILED',
          `cannot inspect container ${name}`,
        )
      ).trim(),
    );
  const ticks = pid > 0 ? (readProcStat(pid)?.startTicks ?? null) : null;
  let done = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    const check = (): void => {
      if (ticks !== null && readProcStat(pid)?.startTicks === ticks) {
        setTimeout(check, EXIT_POLL_MS).unref();
        return;
      }
      void exitOf(name).then(resolve);
    };
    check();
  }).finally(() => {
    done = true;
  });
  return {
    pid,
    exited,
    hasExited: () => done,
    container: name,
    terminate: async (graceMs) => {
      if (!done && graceMs > 0) await podmanExec(['stop', '--time', String(Math.ceil(graceMs / 1000)), name]);
      await removeContainer(name);
      await exited;
    },
  };
}

/** Removes the container at once, whatever its state; one that is not there is fine. */
export async function removeContainer(name: string): Promise<void> {
  await podmanExec(['rm', '--force', '--time', '0', '--ignore', name]);
}

async function exitOf(name: string): Promise<ProcessExit> {
  const out = await podmanExec(['container', 'inspect', '--format', '{{.State.ExitCode}}', name]);
  const code = Number(out.stdout.trim());
  return { code: out.code === 0 && Number.isInteger(code) ? code : null, signal: null };
}

/** podman's last three message lines, on one line, without their `Error: ` prefixes. */
function lastLines(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean).slice(-3);
  return lines.map((line) => line.replace(/^Error: /, '')).join('; ') || 'no output';
}
