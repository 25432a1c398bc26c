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
  /** the release's layout here, pulled from the environment's registry: for a host that lost it */
  localLayout(release: ReleaseRef): Promise<string>;
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

  // Where each layout staged by this command came from: snapshots name a version's layout as the
  // caller gave it (the port's contract); one started by an earlier command keeps the host's path,
  // which a restore also takes (it is staged again when the host lost it).
  const origins = new Map<string, string>();
  const withOrigins = (snapshot: TargetSnapshot): TargetSnapshot => ({
    ...snapshot,
    versions: snapshot.versions.map((v) => ({ ...v, layoutDir: origins.get(v.layoutDir) ?? v.layoutDir })),
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
      const session = await connection.open();
      // A snapshot names the layout where the host kept it; a host rebuilt since (or whose disk
      // was lost) gets it again, from the registry through this machine.
      const onHost = layoutDir.startsWith(`${connection.agentDir}/`);
      const staged = await stageOnHost(session, connection.agentDir, release, async () =>
        o.archive(onHost ? await o.localLayout(release) : layoutDir, release),
      );
      // the first path it was started from: starting a running version again changes nothing
      if (!onHost && !origins.has(staged)) origins.set(staged, layoutDir);
      return staged;
    },
    secrets: o.secrets,
  });
  return {
    name: `ssh:${connection.host}`,
    ...operations,
    peek: async () => withOrigins(await peek()),
    snapshot: async () => withOrigins(await operations.snapshot()),
  };
}
