import { CutoverError, isCutoverError } from '../../core/errors.js';
import { redactText, redactValue } from '../../core/redact.js';
import type { ReleaseRef } from '../../core/model/release.js';
import type { RouteOptions, StartOptions, StopOptions, Target, TargetSnapshot } from '../../ports/target.js';
import type { RuntimeClient } from '../../runtime/client/daemon-control.js';
import type {
  ContainerRequest,
  EnvironmentView,
  StartVersionRequest,
} from '../../runtime/client/api-types.js';
import { containerRequestFor, needsPull, type PodmanImageSource } from './podman-image.js';

/** How a runtime daemon is reached and fed, on this machine or on a host over SSH. */
export interface RuntimeAccess {
  environment: string;
  /** runs `act` with the daemon's client, connecting (and setting the environment up) when needed */
  withClient<T>(act: (client: RuntimeClient) => Promise<T>): Promise<T>;
  /** run versions as podman containers pulled from here (`runner: podman`); else as processes */
  podman?: PodmanImageSource;
  /** pulls a container image where the daemon runs, with the CLI's credentials */
  pull(request: ContainerRequest, release: ReleaseRef): Promise<void>;
  /** where the daemon reads an OCI layout from (the process runner): the same path locally */
  stage(layoutDir: string, release: ReleaseRef): Promise<string>;
  /** secret values to remove from a failed start's report, which quotes the app's log */
  secrets: readonly string[];
}

/** A daemon's view of one environment as the Target port's operations; both targets share it. */
export function runtimeOperations(access: RuntimeAccess): Omit<Target, 'name' | 'peek'> {
  const { environment, withClient, podman } = access;

  const snapshot = (): Promise<TargetSnapshot> =>
    withClient(async (client) => snapshotOf(environment, await client.getEnvironment(environment)));

  const start = async (release: ReleaseRef, layoutDir: string, o: StartOptions): Promise<void> => {
    const request: StartVersionRequest = { release, layoutDir, healthTimeoutMs: o.healthTimeoutMs };
    if (podman) request.container = containerRequestFor(podman, release, layoutDir, o);
    else request.layoutDir = await access.stage(layoutDir, release);
    const ask = () => withClient((client) => client.startVersion(environment, request));
    try {
      await ask().catch(async (err: unknown) => {
        if (!request.container || !needsPull(err)) throw err;
        await access.pull(request.container, release);
        await ask();
      });
    } catch (err) {
      throw redactError(err, access.secrets);
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

  return { environment, snapshot, start, route, stop, restore };
}

/** Versions being stopped are on their way out: not part of what runs. */
export function snapshotOf(environment: string, view: EnvironmentView): TargetSnapshot {
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
