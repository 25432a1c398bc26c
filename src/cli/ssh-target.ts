import { join } from 'node:path';
import { CutoverError } from '../core/errors.js';
import type { ResolvedEnvironment } from '../core/environments.js';
import type { ReleaseRef } from '../core/model/release.js';
import type { SshTargetConfig } from '../core/schema/config.js';
import type { Fence } from '../ports/lock.js';
import type { Registry } from '../ports/registry.js';
import type { PublishedFlag } from '../runtime/client/api-types.js';
import type { Target } from '../ports/target.js';
import { podmanSourceOf } from '../adapters/target/podman-source.js';
import { HostConnection } from '../adapters/target/ssh/host-connection.js';
import { sshEndpoints } from '../adapters/target/ssh/ssh-endpoints.js';
import { createSshFleetTarget } from '../adapters/target/ssh/ssh-fleet-target.js';
import { createSshHostTarget } from '../adapters/target/ssh/ssh-host-target.js';
import { releaseLayoutArchive } from '../adapters/target/ssh/stage-layout.js';

export type SshEnvironment = ResolvedEnvironment & { target: SshTargetConfig };

/**
 * Each host of an ssh target, with the connection a command keeps to it: the target and the
 * metrics share them (app.ts makes them once per environment), one connection per host.
 */
export function hostConnections(
  env: SshEnvironment,
  configDir: string,
  fence?: () => Fence | undefined,
): HostConnection[] {
  const endpoints = sshEndpoints(env.name, env.target, configDir);
  const { agent_dir: agentDir } = env.target;
  return env.target.hosts.map((host) => new HostConnection(host, endpoints.get(host)!, agentDir, fence));
}

/**
 * cutover.yaml's `target: { type: ssh }`: the fleet of its hosts, each reached over one SSH
 * connection kept for the whole command, its agent serving the environment's router on `port`.
 */
export function createSshTarget(
  env: SshEnvironment,
  places: {
    stateDir: string;
    connections: () => HostConnection[];
    registry: () => Registry;
    flags?: () => Promise<PublishedFlag[]>;
  },
  secrets: readonly string[],
): Target {
  const { target } = env;
  const podman = target.runner === 'podman' ? podmanSourceOf(env.registry) : undefined;
  if (podman && podman.registry !== 'oci-distribution')
    throw new CutoverError(
      'E_INVALID_INPUT',
      `environments.${env.name}.target: runner podman on ssh hosts pulls from a registry the hosts reach; registry.type oci-layout is on this machine only (use oci-distribution, or runner: process)`,
    );
  const archives = new Map<string, Promise<string>>();
  const archive = (layoutDir: string, release: ReleaseRef) => {
    let packed = archives.get(release.digest);
    if (!packed) {
      packed = releaseLayoutArchive(layoutDir, release, join(places.stateDir, 'cache', 'fleet'));
      archives.set(release.digest, packed);
    }
    return packed;
  };
  const router = {
    environment: env.name,
    ...(places.flags ? { flags: places.flags } : {}),
    port: env.target.port,
    limits: {
      header_timeout_ms: target.router.header_timeout,
      body_idle_timeout_ms: target.router.body_idle_timeout,
      max_connections: target.router.max_connections,
    },
  };
  const hosts = places.connections().map((connection) => ({
    host: connection.host,
    target: createSshHostTarget({
      connection,
      router,
      ...(podman ? { podman } : {}),
      archive,
      localLayout: (release) => places.registry().pull(release, join(places.stateDir, 'cache')),
      secrets,
    }),
    close: () => connection.close(),
  }));
  return createSshFleetTarget({
    environment: env.name,
    hosts,
    parallel: target.rollout.parallel,
    canaryHosts: target.rollout.canary_hosts,
  });
}
