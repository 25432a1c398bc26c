import { isCutoverError } from '../../core/errors.js';
import type { Target, TargetSnapshot } from '../../ports/target.js';
import { daemonStatus, type RuntimeClient } from '../../runtime/client/daemon-control.js';
import { resolveRuntimePaths } from '../../runtime/client/paths.js';
import { readSavedSnapshot } from '../../runtime/client/state-file.js';
import { pullForDaemon } from './podman-image.js';
import { prepareEnvironment, type LocalRuntimeTargetOptions } from './local-runtime-environment.js';
import { runtimeOperations, snapshotOf } from './runtime-target.js';

export type { LocalRuntimeTargetOptions };

/**
 * Target on the local runtime daemon of `stateDir`: versions run as processes behind the
 * environment's router. The daemon and the router are started on first use.
 *
 * @example
 * const target = createLocalRuntimeTarget({ stateDir: '.cutover', environment: 'production', port: 7080 });
 * await target.start(release, layoutDir, { healthTimeoutMs: 30_000 });
 * await target.route({ [release.digest]: 100 });
 */
export function createLocalRuntimeTarget(options: LocalRuntimeTargetOptions): Target {
  const { environment, podman } = options;
  let ready: Promise<RuntimeClient> | null = null;

  const connect = (): Promise<RuntimeClient> =>
    (ready ??= prepareEnvironment(options).catch((err: unknown) => {
      ready = null;
      throw err;
    }));

  /** A daemon stopped since the last call (`cutover runtime stop`) is started again, once. */
  const withClient = async <T>(act: (client: RuntimeClient) => Promise<T>): Promise<T> => {
    try {
      return await act(await connect());
    } catch (err) {
      if (!isCutoverError(err) || err.code !== 'E_RUNTIME_UNAVAILABLE' || ready === null) throw err;
      ready = null;
      return act(await connect());
    }
  };

  /**
   * The running daemon's view, or, with none running, the state it saved: the versions the next
   * daemon (the one a deploy starts) brings back. Neither read starts or writes anything.
   */
  const peek = async (): Promise<TargetSnapshot> => {
    const status = await daemonStatus(options.stateDir, options.runtimeDir);
    if (status.running) {
      const view = status.environments?.find((e) => e.environment === environment);
      return view ? snapshotOf(environment, view) : { environment, versions: [] };
    }
    return readSavedSnapshot(
      resolveRuntimePaths(options.stateDir, options.runtimeDir).stateFile,
      environment,
    );
  };

  const operations = runtimeOperations({
    environment,
    withClient,
    ...(podman ? { podman } : {}),
    pull: (request, release) => (podman ? pullForDaemon(podman, request, release) : Promise.resolve()),
    stage: (layoutDir) => Promise.resolve(layoutDir),
    secrets: options.secrets ?? [],
  });
  return { name: 'local-runtime', peek, ...operations };
}
