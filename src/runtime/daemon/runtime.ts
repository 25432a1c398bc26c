import { CutoverError } from '../../core/errors.js';
import type { MetricsSnapshot, RequestSample } from '../../ports/metrics.js';
import type {
  DaemonStatusView,
  EnvironmentSettings,
  EnvironmentView,
  StartVersionRequest,
  VersionView,
} from '../client/api-types.js';
import { Environment } from './environment.js';
import type { Logger } from '../../lib/logger.js';
import { FlagReader } from '../ofrep/flag-reader.js';
import type { RuntimePaths } from '../client/paths.js';
import { restoreEnvironment } from './restore.js';
import { RouterWorkers } from '../workers/router-workers.js';
import { reapStaleProcess } from './supervisor.js';
import { createStateWriter, readDesiredState, type DesiredState, type StartedProcess } from './state-file.js';

const CPU_SAMPLE_INTERVAL_MS = 1000;
// Shutdown drains each version this long before terminating it.
const SHUTDOWN_DRAIN_MS = 5000;

/** Everything the daemon runs, behind the admin API: environments, their versions, saved state. */
export class Runtime {
  readonly startedAt = Date.now();
  restoring = false;
  private readonly environments = new Map<string, Environment>();
  private readonly save: (state: DesiredState) => Promise<void>;
  private readonly cpuTimer: NodeJS.Timeout;
  private readonly flags: FlagReader;
  private readonly workers: RouterWorkers;

  /** @param routerProcesses processes accepting on each environment's port, the daemon included */
  constructor(
    readonly stateDir: string,
    private readonly paths: RuntimePaths,
    private readonly logger: Logger,
    routerProcesses = 1,
  ) {
    this.save = createStateWriter(paths.stateFile);
    this.flags = new FlagReader(paths.flagsFile);
    this.workers = new RouterWorkers(routerProcesses - 1, stateDir, logger);
    this.cpuTimer = setInterval(() => this.sampleCpu(), CPU_SAMPLE_INTERVAL_MS);
    this.cpuTimer.unref();
  }

  /** Brings back the routers, versions and weights saved before the last stop. */
  async restore(): Promise<void> {
    this.restoring = true;
    try {
      const state = await readDesiredState(this.paths.stateFile);
      for (const saved of Object.values(state.environments)) {
        for (const p of [...(saved.starting ?? []), ...(saved.retiring ?? [])])
          reapStaleProcess(p.pid, p.procStartTicks);
      }
      await Promise.all(
        Object.entries(state.environments).map(([name, saved]) => {
          const env = this.createEnvironment(name);
          this.environments.set(name, env);
          return restoreEnvironment(env, saved, this.logger);
        }),
      );
    } finally {
      this.restoring = false;
      this.persist();
    }
  }

  async putEnvironment(name: string, settings: EnvironmentSettings): Promise<EnvironmentView> {
    const env = this.environments.get(name) ?? this.createEnvironment(name);
    await env.configure(settings.port, settings.stickiness_header, settings.group_id, settings.limits);
    if (!this.environments.has(name))
      this.logger.info('Listening', { environment: name, port: env.router.port });
    this.environments.set(name, env);
    this.persist();
    return env.viewNow();
  }

  getEnvironment(name: string): Promise<EnvironmentView> {
    return this.environment(name).viewNow();
  }

  async startVersion(name: string, request: StartVersionRequest): Promise<VersionView> {
    const env = this.environment(name);
    const version = await env.start(request);
    return (
      (await env.viewNow()).versions.find((v) => v.release.digest === version.digest) ?? version.toView(0)
    );
  }

  stopVersion(name: string, digest: string, drainTimeoutMs: number): Promise<boolean> {
    return this.environment(name).stop(digest, drainTimeoutMs);
  }

  async setWeights(
    name: string,
    weights: Record<string, unknown>,
    groupId?: string,
  ): Promise<EnvironmentView> {
    const env = this.environment(name);
    await env.setWeights(weights, groupId);
    this.logger.info('Routed', { environment: name, weights, group_id: env.groupId });
    return env.viewNow();
  }

  metrics(
    name: string,
    digest: string | undefined,
    windowMs: number,
    minSamples: number,
  ): Promise<MetricsSnapshot> {
    return this.environment(name).metrics(digest, windowMs, minSamples);
  }

  requests(name: string, digest: string | undefined, windowMs: number): Promise<RequestSample> {
    return this.environment(name).requests(digest, windowMs);
  }

  async status(): Promise<DaemonStatusView> {
    return {
      pid: process.pid,
      router_pids: this.workers.pids(),
      uptime_ms: Date.now() - this.startedAt,
      state_dir: this.stateDir,
      restoring: this.restoring,
      environments: await Promise.all([...this.environments.values()].map((env) => env.viewNow())),
      processes: [...this.environments.values()].flatMap((env) => env.versions.processes()),
    };
  }

  /** Stops routers and versions; the saved state stays, so the next start serves the same. */
  async shutdown(): Promise<void> {
    clearInterval(this.cpuTimer);
    // Starts are aborted before the routers close (which may take seconds): a process coming up
    // now would only be stopped again, and must not outlive a daemon killed meanwhile.
    for (const env of this.environments.values()) env.versions.close();
    await Promise.all([...this.environments.values()].map((env) => env.shutdown(SHUTDOWN_DRAIN_MS)));
    this.workers.stop();
    this.flags.close();
  }

  private createEnvironment(name: string): Environment {
    return new Environment(name, {
      paths: this.paths,
      logger: this.logger,
      flags: this.flags,
      workers: this.workers,
      onChange: () => this.persist(),
    });
  }

  private environment(name: string): Environment {
    const env = this.environments.get(name);
    if (!env) {
      throw new CutoverError(
        'E_NOT_FOUND',
        `the runtime has no environment ${name} (PUT /envs/${name} first)`,
        { environment: name },
      );
    }
    return env;
  }

  /** Not while restoring: a half-restored state must not replace the saved one. */
  private persist(): void {
    if (this.restoring) return;
    const state: DesiredState = { version: 1, environments: {} };
    for (const [name, env] of this.environments) {
      // Not wanted back, but reaped by the next daemon should this one die before they end.
      const starting = env.versions.startingProcesses().map(toStartedProcess);
      const retiring = env.versions.retiringVersions().map(toStartedProcess);
      state.environments[name] = { ...env.desired(), starting, retiring };
    }
    this.save(state).catch((err: unknown) => this.logger.error('Cannot save runtime state', { error: err }));
  }

  private sampleCpu(): void {
    const now = performance.now();
    for (const env of this.environments.values()) env.sampleCpu(now);
  }
}

function toStartedProcess(p: { process: { pid: number }; procStartTicks: number | null }): StartedProcess {
  return { pid: p.process.pid, procStartTicks: p.procStartTicks };
}
