import { execFile } from 'node:child_process';
import { pickAllowedEnv } from '../../core/allowed-env.js';
import { CutoverError, type ErrorCode } from '../../core/errors.js';
import { PODMAN_ENV_NAMES, PODMAN_GLOBAL_ARGS, findPodman } from './podman-command.js';

export interface PodmanOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one podman command with the flags this machine needs and only podman's own environment,
 * and returns its exit code and output; a podman that cannot be found or run is
 * `E_RUNNER_UNAVAILABLE`.
 */
export async function podmanExec(args: readonly string[], signal?: AbortSignal): Promise<PodmanOutput> {
  const file = findPodman();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...PODMAN_GLOBAL_ARGS, ...args],
      { env: pickAllowedEnv(process.env, PODMAN_ENV_NAMES), maxBuffer: 16 << 20, signal },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        if (err && typeof code !== 'number') {
          reject(new CutoverError('E_RUNNER_UNAVAILABLE', `cannot run podman: ${err.message}`, {}, err));
          return;
        }
        resolve({ code: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

/** Like podmanExec, but a non-zero exit is `code` with what podman said last. */
export async function podmanOk(
  args: readonly string[],
  code: ErrorCode,
  what: string,
  signal?: AbortSignal,
): Promise<string> {
  const out = await podmanExec(args, signal);
  if (out.code !== 0) throw new CutoverError(code, `${what}: ${lastLine(out.stderr)}`, { args });
  return out.stdout;
}

/** podman's last message line, without its `Error: ` prefix. */
export function lastLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const line = lines.at(-1) ?? 'no output';
  return line.replace(/^Error: /, '');
}
