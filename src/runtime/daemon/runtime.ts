import { CutoverError } from '../../core/errors.js';
import type {
  DaemonStatusView,
  EnvironmentSettings,
  EnvironmentView,
  StartVersionRequest,
  VersionView,
} from '../client/api-types.js';
import { Environment } from './environment.js';
import { viewOf } from './environment-view.js';
import type { Logger } from '../../lib/logger.js';
import { ServedFlags } from './served-flags.js';
import type { RuntimePaths } from '../client/paths.js';
import { desiredStateOf, restoreEnvironments } from './saved-state.js';
import { RouterWorkers } from '../workers/router-workers.js';
import { readDesiredState } from '../client/state-file.js';
import { StateWriter } from './state-writer.js';
import { LOOPBACK } from '../client/router-host.js';

const CPU_SAMPLE_INTERVAL_MS = 1000;
// Shutdown drains each version this long before terminating it.
const SHUTDOWN_DRAIN_MS = 5000;

/** Everything the daemon runs, behind the admin API: environments, their versions, saved state. */
export class Runtime {
  readonly startedAt = Date.now();
  restoring = false;
  /** read by /metrics (version-totals.ts) too */
  readonly environments = new Map<string, Environment>();
  private readonly writer: StateWriter;
  private readonly cpuTimer: NodeJS.Timeout;
  readonly flags: ServedFlags;
  readonly workers: RouterWorkers;

  /** @param router processes accepting on each port (the daemon included), and their address */
  constructor(
    readonly stateDir: string,
    private readonly paths: RuntimePaths,
    private readonly logger: Logger,
    private readonly router = { processes: 1, host: LOOPBACK },
  ) {
    this.writer = new StateWriter(paths.stateFile, logger);
    this.flags = new ServedFlags(paths);
    this.workers = new RouterWorkers(router.processes - 1, { stateDir, runtimeDir: paths.dir }, logger);
    this.cpuTimer = setInterval(() => this.sampleCpu(), CPU_SAMPLE_INTERVAL_MS);
    this.cpuTimer.unref();
  }

  /** Brings back the routers, versions and weights saved before the last stop. */
  async restore(): Promise<void> {
    this.restoring = true;
    try {
      const state = await readDesiredState(this.paths.stateFile);
      await restoreEnvironments(state, this.paths.dir, this.logger, (name) => {
        const env = this.createEnvironment(name);
        this.environments.set(name, env);
        return env;
      });
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
    return this.view(env);
  }

  getEnvironment(name: string): Promise<EnvironmentView> {
    return this.view(this.environment(name));
  }

  async startVersion(name: string, request: StartVersionRequest): Promise<VersionView> {
    const env = this.environment(name);
    const version = await env.start(request);
    return (
      (await this.view(env)).versions.find((v) => v.release.digest === version.digest) ?? version.toView(0)
    );
  }

  async setWeights(
    name: string,
    weights: Record<string, unknown>,
    groupId?: string,
  ): Promise<EnvironmentView> {
    const env = this.environment(name);
    await env.setWeights(weights, groupId);
    this.logger.info('Routed', { environment: name, weights, group_id: env.groupId });
    return this.view(env);
  }

  async status(): Promise<DaemonStatusView> {
    return {
      pid: process.pid,
      router_pids: this.workers.pids(),
      uptime_ms: Date.now() - this.startedAt,
      state_dir: this.stateDir,
      restoring: this.restoring,
      environments: await Promise.all([...this.environments.values()].map((env) => this.view(env))),
      processes: [...this.environments.values()].flatMap((env) => env.versions.processes()),
    };
  }

  /** Stops routers and versions; the saved state stays, so the next start serves the same. */
  async shutdown(): Promise<void> {
    const saved = this.writer.freeze();
    clearInterval(this.cpuTimer);
    // Starts are aborted before the routers close (which may take seconds): a process coming up
    // now would only be stopped again, and must not outlive a daemon killed meanwhile.
    for (const env of this.environments.values()) env.versions.close();
    await Promise.all([...this.environments.values()].map((env) => env.shutdown(SHUTDOWN_DRAIN_MS)));
    this.workers.stop();
    this.flags.close();
    await saved;
  }

  private createEnvironment(name: string): Environment {
    return new Environment(name, {
      paths: this.paths,
      logger: this.logger,
      flags: this.flags.source,
      workers: this.workers,
      routerHost: this.router.host,
      onChange: () => this.persist(),
    });
  }

  /** The environment `name`, which a PUT /envs/:env created (else `E_NOT_FOUND`). */
  environment(name: string): Environment {
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

  /** The view with in-flight and 502 counts of every router process, as of now. */
  private async view(env: Environment): Promise<EnvironmentView> {
    return viewOf(env, await this.workers.counters(env.name));
  }

  /** Not while restoring: a half-restored state must not replace the saved one. */
  private persist(): void {
    if (!this.restoring) this.writer.save(desiredStateOf(this.environments));
  }

  private sampleCpu(): void {
    const now = performance.now();
    for (const env of this.environments.values()) env.sampleCpu(now);
  }
}
