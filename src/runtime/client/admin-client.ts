import type { MetricsSnapshot, RequestSample } from '../../core/model/metrics.js';
import type { Fence } from '../../ports/lock.js';
import type {
  DaemonStatusView,
  EnvironmentSettings,
  EnvironmentView,
  PublishedFlag,
  StartVersionRequest,
  VersionView,
} from './api-types.js';
import { FENCE_HEADER } from './api-types.js';
import { adminRequest, type StreamConnector } from './admin-request.js';

export type { StreamConnector };

/**
 * The runtime daemon's admin API over its unix socket. Errors the daemon reports come back as
 * the CutoverError it threw; a daemon that does not answer is `E_RUNTIME_UNAVAILABLE`.
 *
 * @example
 * const client = await ensureDaemon('.cutover');
 * await client.putEnvironment('production', { port: 7080 });
 * await client.startVersion('production', { release, layoutDir, healthTimeoutMs: 30_000 });
 * await client.setWeights('production', { [release.digest]: 100 });
 */
export class RuntimeClient {
  /**
   * @param socketPath the daemon's admin socket (on the host it runs on)
   * @param connect opens a stream to that socket some other way: over an SSH session to the
   *   host, for an agent of the ssh target. Without it, the socket is local.
   */
  private fence: (() => Fence | undefined) | undefined;

  constructor(
    readonly socketPath: string,
    private readonly connect?: StreamConnector,
  ) {}

  /**
   * Makes every change to an environment carry the fencing token of the lease `fence` returns
   * for it, if any: a daemon that has seen a later token refuses it (`E_STALE_FENCING_TOKEN`).
   */
  fenced(fence: (() => Fence | undefined) | undefined): this {
    this.fence = fence;
    return this;
  }

  status(timeoutMs?: number): Promise<DaemonStatusView> {
    return this.call('GET', '/status', undefined, timeoutMs);
  }

  /** Asks the daemon to drain and stop everything and exit; resolves once it accepted. */
  async shutdown(): Promise<void> {
    await this.call('POST', '/shutdown');
  }

  putEnvironment(env: string, settings: EnvironmentSettings): Promise<EnvironmentView> {
    return this.call('PUT', `/envs/${encodeURIComponent(env)}`, settings, undefined, env);
  }

  /**
   * The flag states OFREP serves for `env` from now on, replacing what was published before;
   * resolves once the daemon saved them. A daemon silent for `timeoutMs` is unavailable.
   */
  publishFlags(env: string, flags: PublishedFlag[], timeoutMs = 10_000): Promise<{ flags: number }> {
    return this.call('PUT', `/flags/${encodeURIComponent(env)}`, { flags }, timeoutMs, env);
  }

  getEnvironment(env: string): Promise<EnvironmentView> {
    return this.call('GET', `/envs/${encodeURIComponent(env)}`);
  }

  /** Resolves once the version answers 200 on its health path (E_HEALTH_TIMEOUT, E_APPLY_FAILED). */
  startVersion(env: string, start: StartVersionRequest): Promise<VersionView> {
    return this.call('POST', `/envs/${encodeURIComponent(env)}/versions`, start, undefined, env);
  }

  /** Drains (at most `drainTimeoutMs`) and stops; false when the version was not running. */
  async stopVersion(env: string, digest: string, drainTimeoutMs: number): Promise<boolean> {
    const path = `/envs/${encodeURIComponent(env)}/versions/${encodeURIComponent(digest)}`;
    const query = `?drainTimeoutMs=${drainTimeoutMs}`;
    const reply = await this.call<{ stopped: boolean }>(
      'DELETE',
      `${path}${query}`,
      undefined,
      undefined,
      env,
    );
    return reply.stopped;
  }

  /**
   * Swaps the weights in one step; with `groupId`, the bucketing group changes in the same step
   * (the flag name, so a 5 % canary and a 5 % flag reach the same users).
   */
  setWeights(env: string, weights: Record<string, number>, groupId?: string): Promise<EnvironmentView> {
    const query = groupId === undefined ? '' : `?group_id=${encodeURIComponent(groupId)}`;
    return this.call('PUT', `/envs/${encodeURIComponent(env)}/weights${query}`, weights, undefined, env);
  }

  /** Serves `/metrics` on `listen` (`host:port`), or stops serving it (null); idempotent. */
  setMetricsListen(listen: string | null): Promise<{ listen: string | null }> {
    return this.call('PUT', '/metrics', { listen });
  }

  /** Counts a finished deploy in `/metrics` (DORA-style: result, rollbacks, time to restore). */
  recordDeploy(deploy: { environment: string; result: string; restore_seconds?: number }): Promise<unknown> {
    return this.call('POST', '/deploys', deploy);
  }

  metrics(
    env: string,
    digest: string | undefined,
    windowMs: number,
    minSamples: number,
  ): Promise<MetricsSnapshot> {
    const query = new URLSearchParams({ window_ms: String(windowMs), min_samples: String(minSamples) });
    if (digest !== undefined) query.set('digest', digest);
    return this.call('GET', `/envs/${encodeURIComponent(env)}/metrics?${query.toString()}`);
  }

  requests(env: string, digest: string | undefined, windowMs: number): Promise<RequestSample> {
    const query = new URLSearchParams({ window_ms: String(windowMs) });
    if (digest !== undefined) query.set('digest', digest);
    return this.call('GET', `/envs/${encodeURIComponent(env)}/requests?${query.toString()}`);
  }

  /** `changes`: the environment a change is for, which carries its lease's fence */
  private call<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs?: number,
    changes?: string,
  ): Promise<T> {
    const fence = changes === undefined ? undefined : this.fence?.();
    const headers: Record<string, string> = {};
    if (fence && fence.environment === changes)
      headers[FENCE_HEADER] = `${fence.store}:${fence.environment}:${fence.token}`;
    const where = { socketPath: this.socketPath, ...(this.connect ? { connect: this.connect } : {}) };
    return adminRequest<T>(where, { method, path, body, timeoutMs, headers });
  }
}
