import { join } from 'node:path';
import { assertNever, CutoverError } from '../core/errors.js';
import type { ResolvedEnvironment } from '../core/environments.js';
import type { Builder } from '../ports/builder.js';
import type { Metrics } from '../ports/metrics.js';
import type { Fence } from '../ports/lock.js';
import type { Registry } from '../ports/registry.js';
import type { Target } from '../ports/target.js';
import type { BuildRegistries } from '../adapters/builder/base-source.js';
import { createChangesetBuilder } from '../adapters/builder/changeset-builder.js';
import { createRuntimeMetrics } from '../adapters/metrics/runtime-metrics.js';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { createOciDistributionRegistry } from '../adapters/registry/oci-distribution/index.js';
import { createOciLayoutRegistry } from '../adapters/registry/oci-layout.js';
import { createLocalRuntimeTarget } from '../adapters/target/local-runtime.js';
import { podmanSourceOf } from '../adapters/target/podman-source.js';
import type { PublishedFlag } from '../runtime/client/api-types.js';
import { createFleetMetrics } from '../adapters/metrics/fleet-metrics.js';
import { createSshTarget } from './ssh-target.js';
import type { HostConnection } from '../adapters/target/ssh/host-connection.js';

/**
 * Adapter choice by config `type`: the only place that knows every implementation.
 * @param secrets removed from a failing build's output before it is reported
 * @param environment an environment's settings: its registry's host and credentials for `build.base`
 * @param registry an environment's registry, where `build.base` images are read too
 */
export function createBuilder(
  secrets: readonly string[],
  environment?: (name: string) => ResolvedEnvironment,
  registry?: (environment: string) => Registry,
): Builder {
  const registries: BuildRegistries | undefined =
    environment && registry
      ? {
          environment: (name) => ({ registry: registry(name), config: environment(name).registry }),
          other: (host) =>
            createOciDistributionRegistry(
              { type: 'oci-distribution', url: `https://${host}`, insecure: false, verify: 'digest' },
              {},
            ),
        }
      : undefined;
  return createChangesetBuilder({ secrets, registries });
}

export function createRegistry(env: ResolvedEnvironment, stateDir: string): Registry {
  const config = env.registry;
  switch (config.type) {
    case 'oci-layout':
      return createOciLayoutRegistry({ rootDir: config.path ?? join(stateDir, 'registry') });
    case 'oci-distribution':
      return createOciDistributionRegistry(config);
    default:
      return assertNever(config);
  }
}

/** Where an environment's target lives: the local daemon's directory, or its hosts' connections. */
export interface TargetPlaces {
  stateDir: string;
  runtimeDir: string | undefined;
  /** an ssh target's hosts, each connected once per command (shared by its target and metrics) */
  connections: () => HostConnection[];
  /** the environment's registry: where a host that lost a release's layout gets it again */
  registry: () => Registry;
  /** the environment's flags, published to its runtime (each host's agent) when it connects */
  flags?: () => Promise<PublishedFlag[]>;
  /** cutover.yaml `runtime.metrics_listen`: where the local daemon serves `/metrics` */
  metricsListen?: string;
  /** the lease this process holds on the environment: its changes to the runtime carry the token */
  fence?: () => Fence | undefined;
}

/**
 * @param places the local daemon's directory (`target.runtime_dir`, resolved), or an ssh target's hosts
 * @param secrets removed from a failed start's report (it quotes the app's log)
 */
export function createTarget(
  env: ResolvedEnvironment,
  places: TargetPlaces,
  secrets: readonly string[],
): Target {
  const { stateDir, runtimeDir, flags } = places;
  if (env.target.type === 'ssh') return createSshTarget({ ...env, target: env.target }, places, secrets);
  const router = env.target.router;
  return createLocalRuntimeTarget({
    stateDir,
    runtimeDir,
    environment: env.name,
    port: env.target.port,
    limits: {
      header_timeout_ms: router.header_timeout,
      body_idle_timeout_ms: router.body_idle_timeout,
      max_connections: router.max_connections,
    },
    secrets,
    ...(flags ? { flags } : {}),
    metricsListen: places.metricsListen ?? null,
    ...(places.fence ? { fence: places.fence } : {}),
    ...(env.target.runner === 'podman' ? { podman: podmanSourceOf(env.registry) } : {}),
  });
}

export function createMetrics(env: ResolvedEnvironment, places: TargetPlaces): Metrics {
  const { stateDir, runtimeDir } = places;
  const config = env.metrics;
  switch (config.type) {
    case 'embedded':
      // what the environment's own routers measured: the local daemon's, or every host's merged
      if (env.target.type === 'ssh') return createFleetMetrics(env.name, places.connections());
      return createRuntimeMetrics({ stateDir, runtimeDir, environment: env.name });
    case 'prometheus':
      return createPrometheusMetrics({ config, environment: env.name });
    default:
      return assertNever(config);
  }
}

/**
 * A target a reading verb may only `peek` at: even its `snapshot` starts a local runtime's daemon,
 * so anything else is a bug in the verb and is refused before it acts.
 */
export function peekOnly(target: Target): Target {
  const refuse = (what: string) => () =>
    Promise.reject(
      new CutoverError('E_INTERNAL', `a reading verb cannot ${what} ${target.environment}'s target`),
    );
  return {
    ...target,
    snapshot: refuse('snapshot'),
    start: refuse('start a version in'),
    route: refuse('route'),
    stop: refuse('stop a version in'),
    restore: refuse('restore'),
    ...(target.rollout ? { rollout: refuse('roll out to') } : {}),
  };
}
