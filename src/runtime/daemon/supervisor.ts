import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { StartVersionRequest, VersionState } from '../client/api-types.js';
import { Backend } from '../http/backend.js';
import { readProcStat } from './cpu-history.js';
import type { Logger } from '../../lib/logger.js';
import { findFreePort, waitUntilHealthy, type HealthOutcome } from './loopback-probe.js';
import { readImageRunSpec } from '../image/oci-image.js';
import { toFileSafeName, type RuntimePaths } from '../client/paths.js';
import type { RuntimeProcess } from './process-view.js';
import { startFailureError, startThrewError, stopFailedStart, type FailedStart } from './start-failure.js';
import { unpackImage } from '../image/unpack-image.js';
import { Version } from './version.js';
import { signalGroup, spawnVersionProcess } from './version-process.js';

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

/**
 * Runs one release of an environment: unpacks its image, starts its command on a free loopback
 * port and waits for its health path to answer 200. However it fails — unhealthy, exited,
 * aborted, or anything thrown on the way — the process group it started is stopped first.
 */
export async function launchVersion(request: StartVersionRequest, ctx: LaunchContext): Promise<Version> {
  const { release, layoutDir, healthTimeoutMs } = request;
  const { environment, logger } = ctx;
  const spec = await readImageRunSpec(layoutDir, release.digest);
  const rootfs = await unpackImage(layoutDir, release.digest, spec.layers, ctx.paths.imagesDir);
  const cwd = join(rootfs, spec.workingDir);
  if (cwd !== rootfs && !cwd.startsWith(`${rootfs}/`)) {
    throw new CutoverError(
      'E_APPLY_FAILED',
      `image WorkingDir ${spec.workingDir} leads outside its rootfs`,
      {},
    );
  }
  const port = await findFreePort();
  const logFile = join(
    ctx.paths.logsDir,
    `${toFileSafeName(environment)}-${toFileSafeName(release.tag)}.log`,
  );
  const failed: FailedStart = {
    environment,
    release,
    port,
    logFile,
    healthPath: spec.healthPath,
    healthTimeoutMs,
  };
  if (ctx.signal.aborted) throw await startFailureError(failed, { kind: 'aborted' });
  const proc = await spawnVersionProcess({
    argv: spec.argv,
    cwd,
    env: { ...inheritedEnv(), ...ctx.runtimeEnv, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    logFile,
  });
  const started: StartingProcess = {
    environment,
    release,
    process: proc,
    procStartTicks: readProcStat(proc.pid)?.startTicks ?? null,
    port,
    logFile,
    startedAt: ctx.startedAt,
    state: 'starting',
  };
  const where = { environment, tag: release.tag, digest: release.digest, pid: proc.pid, port };
  let outcome: HealthOutcome;
  try {
    ctx.onSpawn(started);
    logger.info('Starting version', where);
    outcome = await waitUntilHealthy(port, spec.healthPath, healthTimeoutMs, proc.exited, ctx.signal);
    if (outcome.kind === 'healthy') {
      const backend = new Backend(release.digest, port);
      logger.info('Started version', where);
      return new Version(
        environment,
        release,
        layoutDir,
        healthTimeoutMs,
        spec.healthPath,
        proc,
        started.procStartTicks,
        backend,
        logFile,
        ctx.startedAt,
      );
    }
  } catch (err) {
    started.state = 'stopping';
    logger.error('Version start threw', { ...where, error: err });
    await stopFailedStart(proc);
    throw startThrewError(failed, err);
  }
  started.state = 'stopping';
  logger.error('Version failed to start', { ...where, outcome });
  await stopFailedStart(proc);
  throw await startFailureError(failed, outcome);
}

/**
 * Kills what is left of a version a crashed daemon started, if that pid still is that process
 * (same start time): the restored daemon starts its own.
 */
export function reapStaleProcess(pid: number | null, procStartTicks: number | null): void {
  if (pid === null || procStartTicks === null) return;
  if (readProcStat(pid)?.startTicks === procStartTicks) signalGroup(pid, 'SIGKILL');
}

/** Only what a program needs to find its tools: the image, not the daemon, says the rest. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return env;
}
