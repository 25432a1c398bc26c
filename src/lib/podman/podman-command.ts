import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BASE_ENV_NAMES } from '../../core/allowed-env.js';
import { CutoverError } from '../../core/errors.js';

/**
 * Global flags of every podman call. crun refuses a host whose cgroups are mounted in hybrid
 * v1/v2 mode, and without systemd as the cgroup manager podman must be told to use cgroupfs;
 * runc with cgroupfs works on hybrid and on pure v2 hosts alike (README "Runnable images").
 */
export const PODMAN_GLOBAL_ARGS: readonly string[] = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];

/** podman's default rlimits cannot always be raised (EPERM in containers): ask for lower ones. */
export const PODMAN_ULIMIT_ARGS: readonly string[] = [
  '--ulimit',
  'nofile=4096:4096',
  '--ulimit',
  'nproc=4096:4096',
];

/** What podman reads from its environment: its configuration, storage and credentials files. */
export const PODMAN_ENV_NAMES: readonly string[] = [
  ...BASE_ENV_NAMES,
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'CONTAINERS_CONF',
  'CONTAINERS_STORAGE_CONF',
  'CONTAINERS_REGISTRIES_CONF',
  'REGISTRY_AUTH_FILE',
  'SOURCE_DATE_EPOCH',
];

/**
 * The podman executable on `env.PATH`, or `E_RUNNER_UNAVAILABLE` saying what to install: a
 * missing tool is found before anything starts, not as a spawn error halfway through a step.
 */
export function findPodman(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'podman');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new CutoverError('E_RUNNER_UNAVAILABLE', 'podman not found; apt-get install podman runc', {
    path: env.PATH ?? '',
  });
}
