import type { ReleaseRef } from '../../core/model/release.js';
import type {
  ContainerRequest,
  StartVersionRequest,
  VersionState,
  VersionView,
} from '../client/api-types.js';
import type { Backend } from '../http/backend.js';
import { CpuHistory } from './cpu-history.js';
import type { RuntimeProcess } from './process-view.js';
import type { DesiredVersion } from '../client/state-file.js';
import type { VersionProcess } from './version-process.js';

/** A version of an environment the supervisor started: its process, its backend, its state. */
export class Version implements RuntimeProcess {
  state: VersionState = 'running';
  readonly cpu: CpuHistory;

  readonly release: ReleaseRef;
  readonly layoutDir: string;
  readonly healthTimeoutMs: number;
  /** what the podman runner runs it as; undefined for a process */
  readonly container: ContainerRequest | undefined;

  constructor(
    readonly environment: string,
    request: StartVersionRequest,
    readonly healthPath: string,
    readonly process: VersionProcess,
    readonly procStartTicks: number | null,
    readonly backend: Backend,
    readonly logFile: string,
    /** epoch ms */
    readonly startedAt: number,
  ) {
    this.release = request.release;
    this.layoutDir = request.layoutDir;
    this.healthTimeoutMs = request.healthTimeoutMs;
    this.container = request.container;
    this.cpu = new CpuHistory(process.pid);
  }

  get digest(): string {
    return this.release.digest;
  }

  get port(): number {
    return this.backend.port;
  }

  get serving(): boolean {
    return this.state === 'running';
  }

  toDesired(): DesiredVersion {
    return {
      release: this.release,
      layoutDir: this.layoutDir,
      healthTimeoutMs: this.healthTimeoutMs,
      startedAt: this.startedAt,
      pid: this.process.pid,
      procStartTicks: this.procStartTicks,
      ...(this.container ? { container: savedContainer(this.container) } : {}),
    };
  }

  /** @param elsewhere the same counters in the router processes, added to the daemon's */
  toView(weight: number, elsewhere = { inflight: 0, proxyErrors: 0 }): VersionView {
    return {
      release: this.release,
      layoutDir: this.layoutDir,
      weight,
      state: this.state,
      pid: this.process.hasExited() ? null : this.process.pid,
      port: this.backend.port,
      inflight: this.backend.inflight + elsewhere.inflight,
      health_path: this.healthPath,
      proxy_errors: this.backend.proxyErrors + elsewhere.proxyErrors,
      started_at: new Date(this.startedAt).toISOString(),
      ...(this.container && this.process.container
        ? { container: { name: this.process.container, resources: this.container.resources } }
        : {}),
    };
  }
}

/** What a restarted daemon runs again: without `cli_pulls`, since no CLI is there to pull. */
function savedContainer(request: ContainerRequest): ContainerRequest {
  const { cli_pulls: _, ...saved } = request;
  return saved;
}
