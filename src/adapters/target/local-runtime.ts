import { CutoverError, isCutoverError } from '../../core/errors.js';
import { redactText, redactValue } from '../../core/redact.js';
import type { ReleaseRef } from '../../core/model/release.js';
import type { RouteOptions, StartOptions, StopOptions, Target, TargetSnapshot } from '../../ports/target.js';
import { daemonStatus, type RuntimeClient } from '../../runtime/client/daemon-control.js';
import { resolveRuntimePaths } from '../../runtime/client/paths.js';
import { readSavedSnapshot } from '../../runtime/client/state-file.js';
import type { EnvironmentView, StartVersionRequest } from '../../runtime/client/api-types.js';
import { containerRequestFor, needsPull, pullForDaemon } from './podman-image.js';
import { prepareEnvironment, type LocalRuntimeTargetOptions } from './local-runtime-environment.js';

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
  const { environment } = options;
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

  const snapshot = (): Promise<TargetSnapshot> =>
    withClient(async (client) => {
      return snapshotOf(environment, await client.getEnvironment(environment));
    });

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

  const start = async (release: ReleaseRef, layoutDir: string, o: StartOptions): Promise<void> => {
    const request: StartVersionRequest = { release, layoutDir, healthTimeoutMs: o.healthTimeoutMs };
    const { podman } = options;
    if (podman) request.container = containerRequestFor(podman, release, layoutDir, o);
    const ask = () => withClient((client) => client.startVersion(environment, request));
    try {
      await ask().catch(async (err: unknown) => {
        if (!podman || !request.container || !needsPull(err)) throw err;
        await pullForDaemon(podman, request.container, release);
        await ask();
      });
    } catch (err) {
      throw redactError(err, options.secrets ?? []);
    }
  };

  const route = async (weights: Record<string, number>, o?: RouteOptions): Promise<void> => {
    await withClient((client) => client.setWeights(environment, weights, o?.groupId));
  };

  const stop = async (digest: string, o: StopOptions): Promise<void> => {
    await withClient((client) => client.stopVersion(environment, digest, o.drainTimeoutMs));
  };

  /** Starts what the snapshot has and the environment lacks, routes, then stops the extras. */
  const restore = async (wanted: TargetSnapshot, o: StartOptions & StopOptions): Promise<void> => {
    const current = await withClient((client) => client.getEnvironment(environment));
    for (const version of wanted.versions) {
      const present = current.versions.find((v) => v.release.digest === version.release.digest);
      if (present?.state === 'running') continue;
      await start(version.release, version.layoutDir, {
        ...o,
        ...(version.resources ? { resources: version.resources } : {}),
      });
    }
    const weights = Object.fromEntries(wanted.versions.map((v) => [v.release.digest, v.weight]));
    await route(weights, wanted.groupId === undefined ? undefined : { groupId: wanted.groupId });
    const keep = new Set(wanted.versions.map((v) => v.release.digest));
    for (const version of current.versions) {
      if (!keep.has(version.release.digest)) await stop(version.release.digest, o);
    }
  };

  return { name: 'local-runtime', environment, snapshot, peek, start, route, stop, restore };
}

/** Versions being stopped are on their way out: not part of what runs. */
function snapshotOf(environment: string, view: EnvironmentView): TargetSnapshot {
  return {
    environment,
    versions: view.versions
      .filter((v) => v.state !== 'stopping')
      .map((v) => ({
        release: v.release,
        weight: v.weight,
        layoutDir: v.layoutDir,
        ...(v.container?.resources ? { resources: v.container.resources } : {}),
      })),
    groupId: view.group_id,
  };
}

/**
 * The daemon has no secrets to redact with (it must not hold them), so its report of a failed
 * start, which quotes the app's last log lines, is redacted here, before anyone prints or
 * journals it.
 */
function redactError(err: unknown, secrets: readonly string[]): unknown {
  if (!isCutoverError(err)) return err;
  const message = redactText(err.message, secrets);
  const details = redactValue(err.details, secrets);
  if (message === err.message && details === err.details) return err;
  return new CutoverError(err.code, message, details, err.cause);
}
