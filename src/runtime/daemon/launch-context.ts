import type { VersionState } from '../client/api-types.js';
import type { RuntimePaths } from '../client/paths.js';
import type { Logger } from '../../lib/logger.js';
import type { RuntimeProcess } from './process-view.js';
import type { VersionProcess } from './version-process.js';

/** A process being started: what `runtime status` shows of it until it is a Version (or gone). */
export interface StartingProcess extends RuntimeProcess {
  procStartTicks: number | null;
  /** 'stopping' once the start failed and the process is being terminated */
  state: Extract<VersionState, 'starting' | 'stopping'>;
}

export interface LaunchContext {
  paths: RuntimePaths;
  environment: string;
  /** what the runtime tells every version (OFREP_URL); the image's own Env may override it */
  runtimeEnv: Record<string, string>;
  logger: Logger;
  /** epoch ms to record as its start; a restored version keeps its place in the bucket layout */
  startedAt: number;
  /** aborted when the daemon shuts down: the start gives up and its process is stopped */
  signal: AbortSignal;
  /** called as soon as the process runs, before its health is known, so it is never out of sight */
  onSpawn: (started: StartingProcess) => void;
}

/** What a runner started (or adopted) for a version, before its health is known. */
export interface Launched {
  process: VersionProcess;
  port: number;
  /** true when a running container of this version was found and taken over, not started */
  adopted: boolean;
}
