import { CutoverError, isCutoverError } from '../../core/errors.js';
import { readLogTail } from '../../lib/log-tail.js';
import type { ReleaseRef } from '../../core/model/release.js';
import type { HealthOutcome } from './loopback-probe.js';
import { describeExit, type VersionProcess } from './version-process.js';

/** What a failed start reports about itself. */
export interface FailedStart {
  environment: string;
  release: ReleaseRef;
  port: number;
  logFile: string;
  healthPath: string;
  healthTimeoutMs: number;
}

/**
 * Stops the process group of a start that did not end healthy: right away, no grace, since it
 * never took traffic. Called on every way out of a start but success, thrown errors included.
 */
export async function stopFailedStart(proc: VersionProcess): Promise<void> {
  await proc.terminate(0);
}

/** The error for a start whose health wait ended in `outcome` (anything but healthy). */
export async function startFailureError(
  failed: FailedStart,
  outcome: Exclude<HealthOutcome, { kind: 'healthy' }>,
): Promise<CutoverError> {
  const { environment, release, port, logFile, healthPath, healthTimeoutMs } = failed;
  if (outcome.kind === 'aborted') {
    return new CutoverError(
      'E_RUNTIME_UNAVAILABLE',
      `the runtime is shutting down; ${release.tag} was stopped`,
      {
        environment,
        digest: release.digest,
      },
    );
  }
  const tail = await readLogTail(logFile);
  const details = { environment, release, port, log_file: logFile, log_tail: tail };
  const shownTail = tail === '' ? '(empty log)' : `last log lines:\n${tail}`;
  if (outcome.kind === 'exited') {
    const exit = describeExit(outcome.exit);
    return new CutoverError(
      'E_APPLY_FAILED',
      `${release.tag} ${exit} before it was healthy; ${shownTail}`,
      details,
    );
  }
  return new CutoverError(
    'E_HEALTH_TIMEOUT',
    `${release.tag} did not answer 200 on ${healthPath} within ${healthTimeoutMs} ms ` +
      `(last: ${outcome.last}); ${shownTail}`,
    { ...details, health_path: healthPath, last: outcome.last },
  );
}

/** The error for a start whose health check could not even run (it threw). */
export function startThrewError(failed: FailedStart, err: unknown): CutoverError {
  if (isCutoverError(err)) return err;
  const { environment, release, healthPath } = failed;
  const why = err instanceof Error ? err.message : String(err);
  return new CutoverError(
    'E_APPLY_FAILED',
    `${release.tag} could not be health-checked on ${JSON.stringify(healthPath)}: ${why}`,
    { environment, release, health_path: healthPath },
    err,
  );
}
