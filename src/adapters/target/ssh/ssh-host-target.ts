import { isCutoverError } from '../../../core/errors.js';
import type { ReleaseRef } from '../../../core/model/release.js';
import type { Target, TargetSnapshot } from '../../../ports/target.js';
import type { RuntimeClient } from '../../../runtime/client/daemon-control.js';
import { configureEnvironment, type RouterSettings } from '../local-runtime-environment.js';
import type { PodmanImageSource } from '../podman-image.js';
import { runtimeOperations, snapshotOf } from '../runtime-target.js';
import type { HostConnection } from './host-connection.js';
import { pullOnHost } from './remote-pull.js';
import { stageOnHost } from './stage-layout.js';

export interface SshHostTargetOptions {
  connection: HostConnection;
  router: RouterSettings & { port: number };
  /** `runner: podman`: pulled on the host by digest from the environment's registry */
  podman?: PodmanImageSource & { registry: 'oci-distribution' };
  /** the release's own layout, packed (once per deploy) for the process runner */
  archive(layoutDir: string, release: ReleaseRef): Promise<string>;
  secrets: readonly string[];
}

/**
 * One host of an ssh target: the same operations as the local target, on the host's agent (the
 * same runtime daemon) through the host's SSH connection. The process runner's image is staged
 * on the host first; the podman runner's is pulled there, with the CLI's credentials.
 */
export function createSshHostTarget(o: SshHostTargetOptions): Target {
  const { connection, router, podman } = o;
  const environment = router.environment;
  let configured = false;

  const withClient = <T>(act: (client: RuntimeClient) => Promise<T>): Promise<T> =>
    connection.withAgent(async (client) => {
      if (!configured) {
        await configureEnvironment(client, router);
        configured = true;
      }
      return act(client);
    });

  /** What the host's agent serves, without setting anything up: nothing when it never served. */
  const peek = (): Promise<TargetSnapshot> =>
    connection.withAgent(async (client) => {
      try {
        return snapshotOf(environment, await client.getEnvironment(environment));
      } catch (err) {
        if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return { environment, versions: [] };
        throw err;
      }
    });

  const operations = runtimeOperations({
    environment,
    withClient,
    ...(podman ? { podman } : {}),
    pull: async (request, release) => {
      const session = await connection.open();
      await pullOnHost(session, connection.agentDir, request, release, podman?.auth());
    },
    stage: async (layoutDir, release) => {
      // a layout already on the host (a snapshot's, when restoring) is used where it is
      if (layoutDir.startsWith(`${connection.agentDir}/`)) return layoutDir;
      const session = await connection.open();
      return stageOnHost(session, connection.agentDir, release, await o.archive(layoutDir, release));
    },
    secrets: o.secrets,
  });
  return { name: `ssh:${connection.host}`, peek, ...operations };
}
