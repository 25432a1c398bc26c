import type { ReleaseRef } from '../../core/model/release.js';

/** JSON shapes exchanged between the runtime daemon's admin API and its client. */

export type VersionState = 'starting' | 'running' | 'unhealthy' | 'stopping';

export interface VersionView {
  release: ReleaseRef;
  layoutDir: string;
  /** share of the environment's traffic, 0–100 */
  weight: number;
  state: VersionState;
  pid: number | null;
  /** loopback port the version's process listens on */
  port: number;
  inflight: number;
  health_path: string;
  /** requests that got a 502 because the version's process could not be reached */
  proxy_errors: number;
  started_at: string;
  /** podman runner: the container and the resources it was given */
  container?: { name: string; resources?: ContainerRequest['resources'] };
}

export interface EnvironmentView {
  environment: string;
  port: number;
  /** false while the router cannot listen on `port` (a restored daemon keeps trying) */
  listening: boolean;
  stickiness_header: string;
  group_id: string;
  /** the environment's router limits (max_connections for all its router processes together) */
  limits: RouterLimits;
  /** what the router refused or cut since the daemon started, over all its processes */
  front: FrontCounters;
  versions: VersionView[];
}

export interface EnvironmentSettings {
  /** 0 picks a free port */
  port: number;
  stickiness_header?: string;
  group_id?: string;
  limits?: RouterLimits;
}

export interface StartVersionRequest {
  release: ReleaseRef;
  layoutDir: string;
  /** milliseconds */
  healthTimeoutMs: number;
  /** run it as a podman container instead of a process of the unpacked image */
  container?: ContainerRequest;
}

/** A version run by the podman runner. */
export interface ContainerRequest {
  /** `host/repository@digest` (an OCI Distribution registry) or `oci:<layout dir>:<tag>` */
  image: string;
  /** false for a plain-HTTP or `insecure: true` registry */
  tls_verify: boolean;
  /**
   * true when the CLI pulls (it holds the registry's credentials): a missing image is then
   * `E_PULL_FAILED` with `details.not_pulled`, and the CLI pulls and asks again. Never saved: a
   * restarted daemon pulls anonymously what is gone.
   */
  cli_pulls?: boolean;
  /** changeset `run.resources`: podman `--memory` and `--cpus` */
  resources?: { memory?: string; cpus?: number };
}

/**
 * One process the runtime started for a version, whatever became of it: being started (not yet
 * healthy, not routable), running, unhealthy (it exited; pid null), or stopping (a failed start
 * or a retired version being terminated).
 */
export interface ProcessView {
  environment: string;
  release: ReleaseRef;
  state: VersionState;
  /** null once the process is gone */
  pid: number | null;
  /** loopback port it was told to listen on (PORT) */
  port: number;
  started_at: string;
  log_file: string;
  /** the podman container running it, if the podman runner does */
  container?: string;
}

export interface DaemonStatusView {
  pid: number;
  /** the router processes accepting beside the daemon (CUTOVER_ROUTER_PROCESSES - 1 of them) */
  router_pids: number[];
  uptime_ms: number;
  state_dir: string;
  /** true while the daemon is still restarting the versions of its saved state */
  restoring: boolean;
  environments: EnvironmentView[];
  /** every version process of every environment, including those still starting */
  processes: ProcessView[];
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A router's limits, in the admin API's units (what each means: DEFAULT_ROUTER_LIMITS in
 * core/schema/config.ts).
 */
export interface RouterLimits {
  header_timeout_ms: number;
  body_idle_timeout_ms: number;
  /** for the whole environment; each of its router processes takes its share */
  max_connections: number;
}

/** What a router refused or cut, per process; the daemon sums them for `runtime status`. */
export interface FrontCounters {
  /** malformed requests answered 400 (fast path and node:http) */
  bad_requests: number;
  /** request heads over 64 KiB, answered 431 */
  heads_too_large: number;
  /** heads not complete within header_timeout, answered 408 */
  header_timeouts: number;
  /** request bodies idle longer than body_idle_timeout: 408, or cut when an answer had begun */
  body_timeouts: number;
  /** connections over max_connections, answered 503 */
  over_capacity: number;
  /** WebSocket (or other Upgrade) tunnels opened to a version */
  upgrades: number;
}

/** One flag as an environment's OFREP serves it (PUT /flags/:env carries every flag of it). */
export interface PublishedFlag {
  name: string;
  state: 'on' | 'off';
  /** 0–100 */
  percentage: number;
}

/** The header a deploy's changes to an environment carry: `<store>:<environment>:<token>` (daemon/fence-book.ts). */
export const FENCE_HEADER = 'cutover-fence';
