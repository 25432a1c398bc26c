import type { ReleaseRef } from '../../core/model/release.js';
import type { ProcessView, VersionState } from '../client/api-types.js';
import type { VersionProcess } from './version-process.js';

/** A process the runtime started, as a Version or while it is still being started. */
export interface RuntimeProcess {
  environment: string;
  release: ReleaseRef;
  state: VersionState;
  process: VersionProcess;
  /** loopback port it was told to listen on (PORT) */
  port: number;
  /** epoch ms */
  startedAt: number;
  logFile: string;
}

/** What `runtime status` lists of it; the pid is null once the process is gone. */
export function toProcessView(p: RuntimeProcess): ProcessView {
  return {
    environment: p.environment,
    release: p.release,
    state: p.state,
    pid: p.process.hasExited() ? null : p.process.pid,
    port: p.port,
    started_at: new Date(p.startedAt).toISOString(),
    log_file: p.logFile,
    ...(p.process.container ? { container: p.process.container } : {}),
  };
}
