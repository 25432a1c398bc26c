import { CutoverError } from '../../core/errors.js';
import type { ProcessView, StartVersionRequest } from '../client/api-types.js';
import type { Logger } from '../../lib/logger.js';
import type { RuntimePaths } from '../client/paths.js';
import { retireVersion } from './retire-version.js';
import { toProcessView } from './process-view.js';
import type { StartingProcess } from './launch-context.js';
import { launchVersion } from './supervisor.js';
import type { Version } from './version.js';
import { VersionStarts, type Starting } from './version-starts.js';
import { describeExit } from './version-process.js';

export interface VersionSetContext {
  paths: RuntimePaths;
  logger: Logger;
  /** variables every new process gets from the runtime, beside PORT and HOST */
  processEnv: () => Record<string, string>;
  /** drains a version out of routing in the router processes; true when they have none in flight */
  drainElsewhere: (digest: string, timeoutMs: number) => Promise<boolean>;
  /** a version was added, changed state or was removed */
  onChange: () => void;
}

/**
 * The versions of one environment and their lifecycle: start (once per digest, even when asked
 * concurrently), crash detection, drain-and-stop. Routing is the environment's business. Every
 * process it started is in sight from its spawn to its exit (`processes()`).
 */
export class VersionSet {
  private readonly versions = new Map<string, Version>();
  private readonly starting = new VersionStarts();
  private readonly stopping = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly environment: string,
    private readonly ctx: VersionSetContext,
  ) {}

  get(digest: string): Version | undefined {
    return this.versions.get(digest);
  }

  /** Versions still being started, which cannot take traffic yet. */
  startingDigests(): ReadonlySet<string> {
    return this.starting.digests();
  }

  newestFirst(): Version[] {
    return [...this.versions.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Starts a release unless it already runs; a version that crashed is started afresh. */
  start(request: StartVersionRequest, startedAt?: number): Promise<Version> {
    const digest = request.release.digest;
    const existing = this.versions.get(digest);
    if (existing?.serving) return Promise.resolve(existing);
    if (this.closed) {
      return Promise.reject(
        new CutoverError('E_RUNTIME_UNAVAILABLE', 'the runtime is shutting down', { digest }),
      );
    }
    if (this.stopping.has(digest)) {
      return Promise.reject(
        new CutoverError('E_WRONG_STATE', `${digest} is stopping in ${this.environment}`, { digest }),
      );
    }
    const pending = this.starting.get(digest);
    if (pending) return pending.done;
    return this.starting.begin(
      request,
      startedAt ?? Date.now(),
      (entry) => this.launch(entry, existing),
      () => this.ctx.onChange(),
    );
  }

  /** Processes of starts in progress, for the saved state: a daemon killed now must not lose them. */
  startingProcesses(): StartingProcess[] {
    return this.starting.processes();
  }

  /** Versions being drained and stopped: their processes must not be lost if the daemon dies now. */
  retiringVersions(): Version[] {
    return this.newestFirst().filter((v) => v.state === 'stopping');
  }

  /** Every process this set started that is still known: being started, running, crashed, stopping. */
  processes(): ProcessView[] {
    const starting = this.startingProcesses().filter((s) => !this.versions.has(s.release.digest));
    return [...starting, ...this.newestFirst()].map(toProcessView);
  }

  /** Drains and stops a version (waiting for a start in progress first); false when none ran. */
  async stop(digest: string, drainTimeoutMs: number): Promise<boolean> {
    await this.starting.get(digest)?.done.catch(() => undefined);
    const version = this.versions.get(digest);
    if (!version) return false;
    await this.retire(version, drainTimeoutMs);
    return true;
  }

  /** Refuses new starts and aborts those in progress; each stops its own process. Idempotent. */
  close(): void {
    this.closed = true;
    this.starting.abortAll();
  }

  /**
   * Daemon shutdown: closes, waits for the aborted starts to have stopped their processes, then
   * stops every version; what it leaves behind is still the desired state.
   */
  async shutdown(drainTimeoutMs: number): Promise<void> {
    this.close();
    await this.starting.settled();
    await Promise.all([...this.versions.values()].map((v) => retireVersion(v, drainTimeoutMs, this.ctx)));
  }

  private async launch(entry: Omit<Starting, 'done'>, existing: Version | undefined): Promise<Version> {
    if (existing) await this.retire(existing, 0);
    const version = await launchVersion(entry.request, {
      paths: this.ctx.paths,
      environment: this.environment,
      runtimeEnv: this.ctx.processEnv(),
      logger: this.ctx.logger,
      startedAt: entry.startedAt,
      signal: entry.abort.signal,
      onSpawn: (started) => {
        entry.process = started;
        this.ctx.onChange();
      },
    });
    this.versions.set(version.digest, version);
    void version.process.exited.then((exit) => this.onExit(version, describeExit(exit)));
    return version;
  }

  private retire(version: Version, drainTimeoutMs: number): Promise<void> {
    let stopped = this.stopping.get(version.digest);
    if (stopped) return stopped;
    version.state = 'stopping';
    this.ctx.onChange();
    stopped = retireVersion(version, drainTimeoutMs, this.ctx).finally(() => {
      this.versions.delete(version.digest);
      this.stopping.delete(version.digest);
      this.ctx.onChange();
    });
    this.stopping.set(version.digest, stopped);
    return stopped;
  }

  private onExit(version: Version, exit: string): void {
    if (version.state !== 'running' || this.versions.get(version.digest) !== version) return;
    version.state = 'unhealthy';
    this.ctx.logger.error('Version exited', { environment: this.environment, digest: version.digest, exit });
    this.ctx.onChange();
  }
}
