import { isCutoverError } from '../core/errors.js';
import type { PublishFlags } from '../adapters/flags/publishing-flags.js';
import { RuntimeClient } from '../runtime/client/admin-client.js';
import type { HostConnection } from '../adapters/target/ssh/host-connection.js';
import { resolveRuntimePaths } from '../runtime/client/paths.js';

/**
 * Publishes an environment's flag states to the runtime daemon serving it (the state dir's, or
 * `target.runtime_dir`), or to every host's agent of an ssh target, which OFREP then serves. The daemon is not started for it: one that is
 * not running gets every flag when a deploy next starts it (the target publishes when it
 * connects, local-runtime-environment.ts). An environment cutover.yaml cannot resolve (a name
 * `cutover flags set --env` accepts but no target serves) is served by no daemon.
 */
export function publishToRuntime(
  stateDir: string,
  runtimeDir: (environment: string) => string | undefined,
  hosts: (environment: string) => HostConnection[],
): PublishFlags {
  return async (environment, flags) => {
    let dir: string | undefined;
    let agents: HostConnection[];
    try {
      agents = hosts(environment);
      dir = runtimeDir(environment);
    } catch (err) {
      if (isCutoverError(err) && err.code === 'E_INVALID_INPUT') return;
      throw err;
    }
    // every host of an ssh target: one that cannot be reached fails the change (a deploy's FLAG
    // step with it), as any other step on that host would
    if (agents.length > 0) {
      await Promise.all(agents.map((c) => c.withAgent((client) => client.publishFlags(environment, flags))));
      return;
    }
    const client = new RuntimeClient(resolveRuntimePaths(stateDir, dir).socket);
    await client.publishFlags(environment, flags).catch((err: unknown) => {
      if (isCutoverError(err) && err.code === 'E_RUNTIME_UNAVAILABLE') return;
      throw err;
    });
  };
}
