import type { DeployResult } from '../core/schema/result.js';
import { RuntimeClient } from '../runtime/client/admin-client.js';
import { resolveRuntimePaths } from '../runtime/client/paths.js';
import type { App } from './app.js';

/** What `/metrics` counts a finished deploy as; undefined while it is not finished. */
export function deployOutcome(
  result: DeployResult,
): { result: 'success' | 'failed' | 'rolled_back'; restore_seconds?: number } | undefined {
  if (result.rollback?.status === 'success') {
    const log = result.actions_log;
    // DORA's time to restore: from the failure the rollback answered to its last compensation.
    const failed = log.find((a) => a.status === 'failed' && !a.action.startsWith('ROLLBACK'));
    const restored = log.filter((a) => a.action.startsWith('ROLLBACK')).at(-1);
    const from = Date.parse(
      failed?.timestamp ?? log.find((a) => a.action.startsWith('ROLLBACK'))?.timestamp ?? '',
    );
    const to = Date.parse(restored?.timestamp ?? '');
    const seconds = (to - from) / 1000;
    return {
      result: 'rolled_back',
      ...(Number.isFinite(seconds) && seconds >= 0 ? { restore_seconds: seconds } : {}),
    };
  }
  if (result.status === 'failed') return { result: 'failed' };
  return result.state === 'success' ? { result: 'success' } : undefined;
}

/**
 * Counts a finished deploy in the runtime daemon's `/metrics` when cutover.yaml serves them
 * (`runtime.metrics_listen`). Best effort: a daemon that is not running has nothing to count
 * for, and a deploy's outcome never depends on its metrics.
 */
export async function reportDeployToRuntime(
  app: App,
  environment: string,
  result: DeployResult,
): Promise<void> {
  if (app.config.runtime.metrics_listen === undefined) return;
  const outcome = deployOutcome(result);
  if (!outcome) return;
  const paths = resolveRuntimePaths(app.stateDir, app.runtimeDir(environment));
  await new RuntimeClient(paths.socket).recordDeploy({ environment, ...outcome }).catch(() => undefined);
}
