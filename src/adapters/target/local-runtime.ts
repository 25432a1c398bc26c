import { CutoverError, isCutoverError } from '../../core/errors.js';
import { redactText, redactValue } from '../../core/redact.js';
import type { ReleaseRef } from '../../ports/release.js';
import type { RouteOptions, StartOptions, StopOptions, Target, TargetSnapshot } from '../../ports/target.js';
import { ensureDaemon, type RuntimeClient } from '../../runtime/client/daemon-control.js';
import type { RouterLimits } from '../../runtime/client/api-types.js';

export interface LocalRuntimeTargetOptions {
  stateDir: string;
  environment: string;
  /** router port on 127.0.0.1; undefined keeps the environment's current port (or picks a free one) */
  port?: number;
  /** request header with the sticky user id (default `x-user-id`) */
  stickinessHeader?: string;
  /** bucketing group; the changeset's flag name routes the same users a flag percentage turns on */
  groupId?: string;
  /** the router's timeouts and connection cap (cutover.yaml `target.router`); undefined keeps them */
  limits?: RouterLimits;
  /** secret values to remove from a failed start's report, which quotes the app's log */
  secrets?: readonly string[];
}

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
    (ready ??= prepare(options).catch((err: unknown) => {
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
      const view = await client.getEnvironment(environment);
      const versions = view.versions
        .filter((v) => v.state !== 'stopping')
        .map((v) => ({ release: v.release, weight: v.weight, layoutDir: v.layoutDir }));
      return { environment, versions };
    });

  const start = async (release: ReleaseRef, layoutDir: string, o: StartOptions): Promise<void> => {
    await withClient((client) =>
      client.startVersion(environment, { release, layoutDir, healthTimeoutMs: o.healthTimeoutMs }),
    ).catch((err: unknown) => {
      throw redactError(err, options.secrets ?? []);
    });
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
      await start(version.release, version.layoutDir, o);
    }
    const weights = Object.fromEntries(wanted.versions.map((v) => [v.release.digest, v.weight]));
    await route(weights);
    const keep = new Set(wanted.versions.map((v) => v.release.digest));
    for (const version of current.versions) {
      if (!keep.has(version.release.digest)) await stop(version.release.digest, o);
    }
  };

  return { name: 'local-runtime', environment, snapshot, start, route, stop, restore };
}

async function prepare(options: LocalRuntimeTargetOptions): Promise<RuntimeClient> {
  const client = await ensureDaemon(options.stateDir);
  const existing = await client.getEnvironment(options.environment).catch((err: unknown) => {
    if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return null;
    throw err;
  });
  // 0 (or no port) means "any free port": an environment that already listens keeps its own.
  const port = options.port || existing?.port || 0;
  const unchanged =
    existing !== null &&
    existing.port === port &&
    (options.stickinessHeader === undefined ||
      existing.stickiness_header === options.stickinessHeader.toLowerCase()) &&
    (options.groupId === undefined || existing.group_id === options.groupId) &&
    (options.limits === undefined || sameLimits(existing.limits, options.limits));
  if (!unchanged) {
    await client.putEnvironment(options.environment, {
      port,
      ...(options.stickinessHeader ? { stickiness_header: options.stickinessHeader } : {}),
      ...(options.groupId ? { group_id: options.groupId } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
  }
  return client;
}

function sameLimits(a: RouterLimits | undefined, b: RouterLimits): boolean {
  return (
    a !== undefined &&
    a.header_timeout_ms === b.header_timeout_ms &&
    a.body_idle_timeout_ms === b.body_idle_timeout_ms &&
    a.max_connections === b.max_connections
  );
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
