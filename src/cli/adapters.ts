import { join } from 'node:path';
import { assertNever, CutoverError } from '../core/errors.js';
import type { ResolvedEnvironment } from '../core/environments.js';
import type { PostgresStateConfig, StateConfig } from '../core/schema/state-config.js';
import type { Builder } from '../ports/builder.js';
import type { Journal } from '../ports/journal.js';
import type { EnvironmentLocks } from '../ports/lock.js';
import type { Metrics } from '../ports/metrics.js';
import type { ChangesetQueue } from '../ports/queue.js';
import type { Registry } from '../ports/registry.js';
import type { Target } from '../ports/target.js';
import type { BuildRegistries } from '../adapters/builder/base-source.js';
import { createChangesetBuilder } from '../adapters/builder/changeset-builder.js';
import { openPostgresJournal } from '../adapters/journal/postgres-journal.js';
import { openSqliteJournal } from '../adapters/journal/sqlite-journal.js';
import { openPostgresLocks } from '../adapters/lock/postgres-locks.js';
import { openSqliteLocks } from '../adapters/lock/sqlite-locks.js';
import type { PostgresConnection } from '../adapters/postgres/postgres-pool.js';
import { openPostgresQueue } from '../adapters/queue/postgres-queue.js';
import { openSqliteQueue } from '../adapters/queue/sqlite-queue.js';
import type { StateAccess } from '../adapters/state-dir/state-dir-error.js';
import { createRuntimeMetrics } from '../adapters/metrics/runtime-metrics.js';
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
    ...(env.target.runner === 'podman' ? { podman: podmanSourceOf(env.registry) } : {}),
  });
}

export function createMetrics(env: ResolvedEnvironment, stateDir: string, runtimeDir?: string): Metrics {
  return createRuntimeMetrics({ stateDir, runtimeDir, environment: env.name });
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

/**
 * The PostgreSQL store cutover.yaml's `state` names: its URL read from the variable `url_env`
 * names, when first needed, so verbs that never touch the state do not need it set.
 */
export function postgresConnection(state: PostgresStateConfig, env = process.env): PostgresConnection {
  const url = env[state.url_env];
  if (!url)
    throw new CutoverError(
      'E_USAGE',
      `state.url_env: ${state.url_env} is not set: cutover.yaml's state.type is postgres, and ${state.url_env} must hold its URL (postgres://user:password@host:5432/database)`,
    );
  // pg would say only "Invalid URL", later, from the first query, and would take a libpq
  // keyword string (`host=… password=…`) for a database name that its errors then quote:
  // only a postgres:// URL is accepted, and the value itself is never quoted
  if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(url))
    throw new CutoverError(
      'E_USAGE',
      `state.url_env: ${state.url_env} does not hold a valid URL (postgres://user:password@host:5432/database, with special characters in the password percent-encoded)`,
    );
  return { url, label: `PostgreSQL ($${state.url_env})` };
}

/** Where the journal, locks and queue are opened from; each opens a new one when called. */
export interface StateStores {
  /** bare: the CLI wraps a writing one to anchor it (app.ts) */
  journal(): Journal;
  locks(): EnvironmentLocks;
  queue(): ChangesetQueue;
}

export function stateStores(state: StateConfig, stateDir: string, access: StateAccess): StateStores {
  switch (state.type) {
    case 'sqlite':
      return {
        journal: () => openSqliteJournal(join(stateDir, 'journal.db'), { access }),
        locks: () => openSqliteLocks(join(stateDir, 'locks.db'), { access }),
        queue: () => openSqliteQueue(join(stateDir, 'queue.db'), access),
      };
    case 'postgres':
      return {
        journal: () => openPostgresJournal(postgresConnection(state), { access }),
        locks: () => openPostgresLocks(postgresConnection(state), { access }),
        queue: () => openPostgresQueue(postgresConnection(state), { access }),
      };
    default:
      return assertNever(state);
  }
}
