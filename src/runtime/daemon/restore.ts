import type { Environment } from './environment.js';
import type { Logger } from '../../lib/logger.js';
import type { DesiredEnvironment } from './state-file.js';
import { reapStaleProcess } from './supervisor.js';

// How often a restored router retries a port something else holds.
const LISTEN_RETRY_MS = 2000;

/**
 * Brings one saved environment back: its router (retrying in the background while the port is
 * taken, so one busy port does not lose the saved state), its versions, then their weights.
 */
export async function restoreEnvironment(
  env: Environment,
  saved: DesiredEnvironment,
  logger: Logger,
): Promise<void> {
  try {
    await env.configure(saved.port, saved.stickiness_header, saved.group_id, saved.limits);
    logger.info('Listening', { environment: env.name, port: saved.port });
  } catch (err) {
    logger.error('Cannot listen, will retry', { environment: env.name, port: saved.port, error: err });
    keepTryingToListen(env, saved.port, logger);
  }
  await Promise.all(
    saved.versions.map(async (v) => {
      reapStaleProcess(v.pid, v.procStartTicks);
      try {
        const request = { release: v.release, layoutDir: v.layoutDir, healthTimeoutMs: v.healthTimeoutMs };
        await env.start(request, v.startedAt);
      } catch (err) {
        logger.error('Cannot restore version', {
          environment: env.name,
          digest: v.release.digest,
          error: err,
        });
      }
    }),
  );
  env.restoreWeights(saved.weights);
}

function keepTryingToListen(env: Environment, port: number, logger: Logger): void {
  const timer = setInterval(() => {
    if (env.closed) {
      clearInterval(timer);
      return;
    }
    env.configure(port).then(
      () => {
        clearInterval(timer);
        logger.info('Listening', { environment: env.name, port });
      },
      () => undefined,
    );
  }, LISTEN_RETRY_MS);
  timer.unref();
}
