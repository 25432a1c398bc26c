import type { MetricsSnapshot, RequestSample } from '../../core/model/metrics.js';
import type { RouterLimits, StartVersionRequest } from '../client/api-types.js';
import type { Logger } from '../../lib/logger.js';
import { measureMetrics, measureRequests, type MeasuredEnvironment } from './environment-metrics.js';
import { routingOf } from './environment-routing.js';
import { createOfrepHandler } from '../ofrep/ofrep-handler.js';
import type { FlagSource } from '../ofrep/flag-source.js';
import type { RuntimePaths } from '../client/paths.js';
import { Router } from '../http/router.js';
import { DEFAULT_LIMITS, shareOf } from '../http/router-limits.js';
import type { RouterWorkers } from '../workers/router-workers.js';
import type { Version } from './version.js';
import { VersionSet } from './version-set.js';
import { localAddressOf } from '../client/router-host.js';
import { handOver, validateWeights } from './weights.js';

export interface EnvironmentContext {
  paths: RuntimePaths;
  logger: Logger;
  /** the flags the router serves over OFREP */
  flags: FlagSource;
  /** the router processes that accept on this environment's port beside the daemon */
  workers: RouterWorkers;
  routerHost: string;
  /** called after every change of what should run, so it can be saved */
  onChange: () => void;
}

/**
 * One environment: its router, its versions and the weights between them. How it is measured,
 * viewed and saved is in environment-metrics.ts and environment-view.ts.
 */
export class Environment {
  readonly router: Router;
  readonly versions: VersionSet;
  stickinessHeader = 'x-user-id';
  groupId: string;
  limits: RouterLimits = DEFAULT_LIMITS;
  /** set by shutdown: nothing may listen any more */
  closed = false;
  /** each version's share of traffic (0–100), by digest; set by setWeights and restoreWeights */
  weights: Record<string, number> = {};
  /** the port asked for; differs from the router's while it cannot listen there */
  wantedPort = 0;

  constructor(
    readonly name: string,
    private readonly ctx: EnvironmentContext,
  ) {
    this.router = new Router(name, createOfrepHandler(name, ctx.flags), ctx.routerHost);
    this.groupId = name;
    this.versions = new VersionSet(name, {
      paths: ctx.paths,
      logger: ctx.logger,
      processEnv: () => this.processEnv(),
      drainElsewhere: (digest, timeoutMs) => ctx.workers.drain(name, digest, timeoutMs),
      onChange: () => {
        void this.reroute();
        this.ctx.onChange();
      },
    });
  }

  /** Settings apply even when listening fails, so a restored environment keeps them for a retry. */
  async configure(
    port: number,
    stickinessHeader?: string,
    groupId?: string,
    limits?: RouterLimits,
  ): Promise<void> {
    if (stickinessHeader) this.stickinessHeader = stickinessHeader.toLowerCase();
    if (groupId) this.groupId = groupId;
    if (limits) this.limits = { ...limits };
    if (port !== 0) this.wantedPort = port;
    const routed = this.reroute();
    await this.router.listen(port, (server) => this.ctx.workers.listen(this.name, server));
    this.wantedPort = this.router.port;
    await routed;
  }

  start(request: StartVersionRequest, startedAt?: number): Promise<Version> {
    return this.versions.start(request, startedAt);
  }

  /** Takes the version out of routing (its share going to the others), drains and stops it. */
  stop(digest: string, drainTimeoutMs: number): Promise<boolean> {
    this.weights = handOver(this.weights, digest, this.versions.newestFirst());
    return this.versions.stop(digest, drainTimeoutMs);
  }

  /**
   * Weights and (optionally) the bucketing group change together: one routing table swap.
   * Resolves once every router process routes with it.
   */
  async setWeights(weights: Record<string, unknown>, groupId?: string): Promise<void> {
    const versions = new Map(this.versions.newestFirst().map((v) => [v.digest, v]));
    this.weights = validateWeights(this.name, weights, versions, this.versions.startingDigests());
    if (groupId) this.groupId = groupId;
    const routed = this.reroute();
    this.ctx.onChange();
    await routed;
  }

  /** Puts back saved weights as they were, for the versions that came back. */
  restoreWeights(weights: Record<string, number>): void {
    this.weights = Object.fromEntries(
      Object.entries(weights).filter(([digest]) => this.versions.get(digest)),
    );
    void this.reroute();
  }

  /** @param digest one version, or undefined for every version with a weight */
  metrics(digest: string | undefined, windowMs: number, minSamples: number): Promise<MetricsSnapshot> {
    return measureMetrics(this.measured(digest), windowMs, minSamples);
  }

  /** @param digest one version, or undefined for every version with a weight */
  requests(digest: string | undefined, windowMs: number): Promise<RequestSample> {
    return measureRequests(this.measured(digest), windowMs);
  }

  private measured(digest: string | undefined): MeasuredEnvironment {
    const versions = this.versions
      .newestFirst()
      .filter((v) => (digest === undefined ? (this.weights[v.digest] ?? 0) > 0 : v.digest === digest));
    return { name: this.name, workers: this.ctx.workers, versions };
  }

  sampleCpu(now: number): void {
    for (const version of this.versions.newestFirst()) if (version.serving) version.cpu.sample(now);
  }

  /** Daemon shutdown: stops serving, then every version; the saved state stays as it is. */
  async shutdown(drainTimeoutMs: number): Promise<void> {
    this.closed = true;
    await Promise.all([this.router.close(), this.ctx.workers.close(this.name)]);
    await this.versions.shutdown(drainTimeoutMs);
  }

  /** Where a version evaluates flags; OFREP_ENDPOINT is the name OFREP's ADR 0007 proposes for SDKs. */
  private processEnv(): Record<string, string> {
    const url = `http://${localAddressOf(this.ctx.routerHost)}:${this.router.port || this.wantedPort}`;
    return { OFREP_URL: url, OFREP_ENDPOINT: url };
  }

  /** Swaps in routing for the current versions and weights; resolves once the router processes have it. */
  private reroute(): Promise<void> {
    const share = shareOf(this.limits, this.ctx.workers.processCount);
    const routing = routingOf(
      this.versions.newestFirst(),
      this.weights,
      this.stickinessHeader,
      this.groupId,
      share,
    );
    this.router.setLimits(share);
    this.router.setTable(routing.table);
    return this.ctx.workers.setTable(this.name, routing.wire);
  }
}
