import { join } from 'node:path';
import { assertNever, CutoverError } from '../core/errors.js';
import type { ResolvedEnvironment } from '../core/environments.js';
import type { Builder } from '../ports/builder.js';
import type { Metrics } from '../ports/metrics.js';
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

/**
 * @param runtimeDir the environment's `target.runtime_dir`, resolved against cutover.yaml's directory
 * @param secrets removed from a failed start's report (it quotes the app's log)
 */
export function createTarget(
  env: ResolvedEnvironment,
  stateDir: string,
  runtimeDir: string | undefined,
  secrets: readonly string[],
  metricsListen?: string,
): Target {
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
    metricsListen: metricsListen ?? null,
    ...(env.target.runner === 'podman' ? { podman: podmanSourceOf(env.registry) } : {}),
  });
}

export function createMetrics(env: ResolvedEnvironment, stateDir: string, runtimeDir?: string): Metrics {
  const config = env.metrics;
  switch (config.type) {
    case 'embedded':
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
  };
}
