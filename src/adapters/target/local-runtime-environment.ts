import { isCutoverError } from '../../core/errors.js';
import type { Fence } from '../../ports/lock.js';
import type { RouterLimits } from '../../runtime/client/api-types.js';
import type { PodmanImageSource } from './podman-image.js';
import type { PublishedFlag } from '../../runtime/client/api-types.js';
import { ensureDaemon, type RuntimeClient } from '../../runtime/client/daemon-control.js';

export interface LocalRuntimeTargetOptions {
  stateDir: string;
  /** the daemon's directory (cutover.yaml `target.runtime_dir`); default: the state dir's */
  runtimeDir?: string;
  environment: string;
  /** router port on 127.0.0.1; undefined keeps the environment's current port (or picks a free one) */
  port?: number;
  /** request header with the sticky user id (default `x-user-id`) */
  stickinessHeader?: string;
  /** bucketing group; the changeset's flag name routes the same users a flag percentage turns on */
  groupId?: string;
  /** the router's timeouts and connection cap (cutover.yaml `target.router`); undefined keeps them */
  limits?: RouterLimits;
  /** secret values to remove from a failed start's report, which quotes the app's log */
  secrets?: readonly string[];
  /** run versions as podman containers pulled from here (`runner: podman`); else as processes */
  podman?: PodmanImageSource;
  /**
   * The environment's flag states, published to the daemon each time the target connects to it,
   * so a daemon started (or restarted on a fresh runtime dir) after the last flag change serves
   * the store's flags (cli/flag-publication.ts publishes each change after that)
   */
  flags?: () => Promise<PublishedFlag[]>;
  /** cutover.yaml `runtime.metrics_listen`: where the daemon serves `/metrics` (null: nowhere) */
  metricsListen?: string | null;
  /** the lease whose token every change to the environment carries (runtime/daemon/fence-book.ts) */
  fence?: () => Fence | undefined;
}

/**
 * Connects to the state dir's daemon (starting it) and makes the environment's router listen with
 * the options' settings; an environment already set up that way is left alone.
 */
export async function prepareEnvironment(options: LocalRuntimeTargetOptions): Promise<RuntimeClient> {
  const client = (await ensureDaemon(options.stateDir, options.runtimeDir)).fenced(options.fence);
  if (options.metricsListen !== undefined) await client.setMetricsListen(options.metricsListen);
  await configureEnvironment(client, options);
  return client;
}

/** What an environment's router is set up with, on any daemon (local or a host's agent). */
export type RouterSettings = Pick<
  LocalRuntimeTargetOptions,
  'environment' | 'port' | 'stickinessHeader' | 'groupId' | 'limits' | 'flags'
>;

/** Makes the environment's router listen with these settings; one already set up so is left alone. */
export async function configureEnvironment(client: RuntimeClient, options: RouterSettings): Promise<void> {
  const existing = await client.getEnvironment(options.environment).catch((err: unknown) => {
    if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return null;
    throw err;
  });
  // 0 (or no port) means "any free port": an environment that already listens keeps its own.
  const port = options.port || existing?.port || 0;
  const unchanged =
    existing !== null &&
    existing.port === port &&
    (options.stickinessHeader === undefined ||
      existing.stickiness_header === options.stickinessHeader.toLowerCase()) &&
    (options.groupId === undefined || existing.group_id === options.groupId) &&
    (options.limits === undefined || sameLimits(existing.limits, options.limits));
  if (!unchanged) {
    await client.putEnvironment(options.environment, {
      port,
      ...(options.stickinessHeader ? { stickiness_header: options.stickinessHeader } : {}),
      ...(options.groupId ? { group_id: options.groupId } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
  }
  if (options.flags) await client.publishFlags(options.environment, await options.flags());
}

function sameLimits(a: RouterLimits | undefined, b: RouterLimits): boolean {
  return (
    a !== undefined &&
    a.header_timeout_ms === b.header_timeout_ms &&
    a.body_idle_timeout_ms === b.body_idle_timeout_ms &&
    a.max_connections === b.max_connections
  );
}
