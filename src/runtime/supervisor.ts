import { join } from 'node:path';
import { CutoverError } from '../core/errors.js';
import type { StartVersionRequest } from './api-types.js';
import { Backend } from './backend.js';
import { readProcStat } from './cpu-history.js';
import type { Logger } from './logger.js';
import { findFreePort, waitUntilHealthy } from './loopback-probe.js';
import { readImageRunSpec } from './oci-image.js';
import { toFileSafeName, type RuntimePaths } from './paths.js';
import { unpackImage } from './unpack-image.js';
import { Version } from './version.js';
import {
  describeExit,
  readLogTail,
  signalGroup,
  spawnVersionProcess,
  terminateProcess,
} from './version-process.js';

/**
 * Runs one release of an environment: unpacks its image, starts its command on a free loopback
 * port and waits for its health path to answer 200. On failure nothing it started is left running.
 */
export async function launchVersion(
  paths: RuntimePaths,
  environment: string,
  request: StartVersionRequest,
  /** what the runtime tells every version (OFREP_URL); the image's own Env may override it */
  runtimeEnv: Record<string, string>,
  logger: Logger,
  /** epoch ms to record as its start; a restored version keeps its place in the bucket layout */
  startedAt = Date.now(),
): Promise<Version> {
  const { release, layoutDir, healthTimeoutMs } = request;
  const spec = await readImageRunSpec(layoutDir, release.digest);
  const rootfs = await unpackImage(layoutDir, release.digest, spec.layers, paths.imagesDir);
  const cwd = join(rootfs, spec.workingDir);
  if (cwd !== rootfs && !cwd.startsWith(`${rootfs}/`)) {
    throw new CutoverError(
      'E_APPLY_FAILED',
      `image WorkingDir ${spec.workingDir} leads outside its rootfs`,
      {},
    );
  }
  const port = await findFreePort();
  const logFile = join(paths.logsDir, `${toFileSafeName(environment)}-${toFileSafeName(release.tag)}.log`);
  const proc = await spawnVersionProcess({
    argv: spec.argv,
    cwd,
    env: {
      ...inheritedEnv(),
      ...runtimeEnv,
      ...spec.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    logFile,
  });
  logger.info('Starting version', {
    environment,
    tag: release.tag,
    digest: release.digest,
    pid: proc.pid,
    port,
  });
  const outcome = await waitUntilHealthy(port, spec.healthPath, healthTimeoutMs, proc.exited);
  if (outcome.kind === 'healthy') {
    const version = new Version(
      environment,
      release,
      layoutDir,
      healthTimeoutMs,
      spec.healthPath,
      proc,
      readProcStat(proc.pid)?.startTicks ?? null,
      new Backend(release.digest, port),
      logFile,
      startedAt,
    );
    logger.info('Started version', {
      environment,
      tag: release.tag,
      digest: release.digest,
      pid: proc.pid,
      port,
    });
    return version;
  }
  await terminateProcess(proc, 0);
  const tail = await readLogTail(logFile);
  const details = { environment, release, port, log_file: logFile, log_tail: tail };
  const shownTail = tail === '' ? '(empty log)' : `last log lines:\n${tail}`;
  if (outcome.kind === 'exited') {
    const exit = describeExit(outcome.exit);
    logger.error('Version failed to start', { environment, digest: release.digest, exit });
    throw new CutoverError(
      'E_APPLY_FAILED',
      `${release.tag} ${exit} before it was healthy; ${shownTail}`,
      details,
    );
  }
  logger.error('Version health timeout', { environment, digest: release.digest, last: outcome.last });
  throw new CutoverError(
    'E_HEALTH_TIMEOUT',
    `${release.tag} did not answer 200 on ${spec.healthPath} within ${healthTimeoutMs} ms ` +
      `(last: ${outcome.last}); ${shownTail}`,
    { ...details, health_path: spec.healthPath, last: outcome.last },
  );
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
