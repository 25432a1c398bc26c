import type { ResolvedEnvironment } from '../core/environments.js';
import type { Fence } from '../ports/lock.js';
import type { Metrics } from '../ports/metrics.js';
import type { Registry } from '../ports/registry.js';
import type { Target } from '../ports/target.js';
import type { HostConnection } from '../adapters/target/ssh/host-connection.js';
import type { PublishedFlag } from '../runtime/client/api-types.js';
import { createMetrics, createRegistry, createTarget, peekOnly } from './adapters.js';
import { perEnvironment } from './lazy.js';
import { runtimeDirOf } from './runtime-dir.js';
import { hostConnections } from './ssh-target.js';

/** Each environment's registry, target and metrics, made once per command when first asked for. */
export interface EnvironmentAdapters {
  registry(env: string): Registry;
  /** the environment's `target.runtime_dir`, resolved; undefined for the state dir's runtime */
  runtimeDir(env: string): string | undefined;
  target(env: string): Target;
  /** the target a reading verb gets: it may only `peek` */
  peekTarget(env: string): Target;
  metrics(env: string): Metrics;
  /** an ssh target's hosts, each with the one connection this command keeps to it */
  connections(env: string): HostConnection[];
  /** ends every SSH connection opened (they would keep the process alive) */
  closeConnections(): void;
}

export function environmentAdapters(
  environment: (name: string) => ResolvedEnvironment,
  places: {
    stateDir: string;
    configDir: string;
    /** what an environment's runtime serves over OFREP, published to it when a target connects */
    servedFlags: (env: string) => () => Promise<PublishedFlag[]>;
    /** cutover.yaml `runtime.metrics_listen` */
    metricsListen?: string | undefined;
    /** the lease this process holds on an environment, whose token its changes carry */
    fence?: (env: string) => Fence | undefined;
  },
  secrets: readonly string[],
): EnvironmentAdapters {
  const { stateDir, configDir } = places;
  const registry = perEnvironment((env) => createRegistry(environment(env), stateDir));
  const runtimeDir = (env: string) => runtimeDirOf(environment(env), configDir);
  const opened: HostConnection[] = [];
  // one connection per host, shared by the environment's target and metrics
  const connections = perEnvironment((env) => {
    const e = environment(env);
    const fence = places.fence && (() => places.fence!(env));
    const made = e.target.type === 'ssh' ? hostConnections({ ...e, target: e.target }, configDir, fence) : [];
    opened.push(...made);
    return made;
  });
  const targetPlaces = (env: string) => ({
    stateDir,
    runtimeDir: runtimeDir(env),
    connections: () => connections(env),
    registry: () => registry(env),
    flags: places.servedFlags(env),
    ...(places.metricsListen !== undefined ? { metricsListen: places.metricsListen } : {}),
    ...(places.fence ? { fence: () => places.fence!(env) } : {}),
  });
  const target = perEnvironment((env) => createTarget(environment(env), targetPlaces(env), secrets));
  const metrics = perEnvironment((env) => createMetrics(environment(env), targetPlaces(env)));
  const peekTarget = perEnvironment((env) => peekOnly(target(env)));
  return {
    registry,
    runtimeDir,
    target,
    peekTarget,
    metrics,
    connections,
    closeConnections: () => {
      for (const c of opened) c.close();
    },
  };
}
