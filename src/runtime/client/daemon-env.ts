import { BASE_ENV_NAMES, pickAllowedEnv } from '../../core/allowed-env.js';
import { PODMAN_ENV_NAMES } from '../../lib/podman/podman-command.js';
import { ROUTER_PROCESSES_VAR } from './router-processes.js';
import { ROUTER_HOST_VAR } from './router-host.js';

/**
 * The CUTOVER_* settings the daemon and its router processes read from their environment. A new
 * setting read there must be added here, or a daemon started by the CLI never sees it.
 */
export const DAEMON_SETTINGS: readonly string[] = [ROUTER_PROCESSES_VAR, ROUTER_HOST_VAR];

/**
 * The environment the runtime daemon is started with: the base allow-list, podman's own settings
 * (the podman runner) and its own settings.
 * Its router processes inherit it, and versions get a subset of it (PATH, HOME), so nothing else
 * of the starting CLI's environment (registry passwords, tokens) reaches any of them.
 */
export function daemonEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return pickAllowedEnv(env, [...BASE_ENV_NAMES, ...PODMAN_ENV_NAMES, ...DAEMON_SETTINGS]);
}

/**
 * Removes from this process's environment whatever `daemonEnvironment` leaves out, so that what it
 * forks inherits nothing more even when the daemon was started by hand. (The kernel still shows
 * the environment the process was started with in /proc/<pid>/environ; only `ensureDaemon`
 * starting it with `daemonEnvironment` keeps that clean.)
 */
export function dropUnlistedEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const kept = daemonEnvironment(env);
  for (const name of Object.keys(env)) if (!(name in kept)) delete env[name];
}
