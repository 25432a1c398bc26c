import type { Logger } from '../../lib/logger.js';
import type { Version } from './version.js';

// Milliseconds a version gets between SIGTERM and SIGKILL.
export const STOP_GRACE_MS = 5000;

/** Drains a version that is already out of routing, then terminates its process group. */
export async function retireVersion(
  version: Version,
  drainTimeoutMs: number,
  {
    logger,
    drainElsewhere,
  }: { logger: Logger; drainElsewhere: (digest: string, ms: number) => Promise<boolean> },
): Promise<void> {
  version.state = 'stopping';
  const [here, elsewhere] = await Promise.all([
    version.backend.waitUntilDrained(drainTimeoutMs),
    drainElsewhere(version.digest, drainTimeoutMs),
  ]);
  const drained = here && elsewhere;
  if (!drained) {
    logger.warn('Drain timed out', {
      environment: version.environment,
      digest: version.digest,
      inflight: version.backend.inflight,
      drainTimeoutMs,
    });
  }
  await version.process.terminate(STOP_GRACE_MS);
  version.backend.dispose();
  logger.info('Stopped version', {
    environment: version.environment,
    tag: version.release.tag,
    digest: version.digest,
    drained,
  });
}
