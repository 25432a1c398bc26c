import type { StartVersionRequest } from '../client/api-types.js';
import { Backend } from '../http/backend.js';
import { readProcStat } from './cpu-history.js';
import { waitUntilHealthy, type HealthOutcome } from './loopback-probe.js';
import { launchContainer } from './launch-container.js';
import { launchProcess } from './launch-process.js';
import { readImageRunSpec } from '../image/oci-image.js';
import { versionLogFile } from '../client/paths.js';
import type { LaunchContext, StartingProcess } from './launch-context.js';
import { startFailureError, startThrewError, stopFailedStart, type FailedStart } from './start-failure.js';
import { Version } from './version.js';
import { signalGroup } from './version-process.js';

/**
 * Runs one release of an environment, as a process (default) or a podman container
 * (`request.container`), on a free loopback port, and waits for its health path to answer 200.
 * However it fails — unhealthy, exited, aborted, or anything thrown on the way — what it started
 * is stopped first.
 */
export async function launchVersion(request: StartVersionRequest, ctx: LaunchContext): Promise<Version> {
  const { release, layoutDir, healthTimeoutMs } = request;
  const { environment, logger } = ctx;
  const spec = await readImageRunSpec(layoutDir, release.digest);
  const logFile = versionLogFile(ctx.paths, environment, release.tag);
  const failed: FailedStart = {
    environment,
    release,
    port: 0,
    logFile,
    healthPath: spec.healthPath,
    healthTimeoutMs,
  };
  if (ctx.signal.aborted) throw await startFailureError(failed, { kind: 'aborted' });
  const { container } = request;
  const launched = container
    ? await launchContainer({ ...request, container }, spec, ctx, logFile)
    : await launchProcess(request, spec, ctx, logFile);
  const { process: proc, port } = launched;
  failed.port = port;
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
  const where = {
    environment,
    tag: release.tag,
    digest: release.digest,
    pid: proc.pid,
    port,
    container: proc.container,
  };
  let outcome: HealthOutcome;
  try {
    ctx.onSpawn(started);
    logger.info(launched.adopted ? 'Adopting version' : 'Starting version', where);
    outcome = await waitUntilHealthy(port, spec.healthPath, healthTimeoutMs, proc.exited, ctx.signal);
    if (outcome.kind === 'healthy') {
      const backend = new Backend(release.digest, port);
      logger.info('Started version', where);
      return new Version(
        environment,
        { release, layoutDir, healthTimeoutMs, ...(container ? { container } : {}) },
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
