import { isCutoverError, toCutoverError } from '../../../core/errors.js';
import { agentBundle } from './agent-bundle.js';
import type { HostConnection } from './host-connection.js';
import { setupAgent, type SetupOutcome } from './setup-agent.js';
import { splitHost } from './ssh-endpoints.js';

/** What `hosts status` shows of one host. */
export interface HostStatusReport {
  host: string;
  reachable: boolean;
  /** the agent bundle `current` points at, null when none is installed */
  agent: string | null;
  /** the environment's router: its port and whether it listens, null before the first deploy */
  router: { port: number; listening: boolean } | null;
  group_id: string | null;
  versions: Array<{ tag: string; digest: string; weight: number; state: string; inflight: number }>;
  error?: string;
}

/** One host's agent and what it serves in `environment`; a host that cannot be read says why. */
export async function hostStatus(c: HostConnection, environment: string): Promise<HostStatusReport> {
  const base = { host: c.host, agent: null, router: null, group_id: null, versions: [] };
  try {
    const session = await c.open();
    const link = (await session.exec(`readlink '${c.agentDir}/current'`)).stdout.trim();
    const agent = link.startsWith('releases/') ? link.slice('releases/'.length) : null;
    const view = await c
      .withAgent((client) => client.getEnvironment(environment))
      .catch((err: unknown) => {
        if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return null;
        throw err;
      });
    return {
      ...base,
      reachable: true,
      agent,
      router: view && { port: view.port, listening: view.listening },
      group_id: view?.group_id ?? null,
      versions: (view?.versions ?? []).map((v) => ({
        tag: v.release.tag,
        digest: v.release.digest,
        weight: v.weight,
        state: v.state,
        inflight: v.inflight,
      })),
    };
  } catch (err) {
    return { ...base, reachable: false, error: toCutoverError(err).message };
  }
}

/**
 * `hosts setup` on every host, `parallel` at a time: each made ready or said why not, one
 * unreachable host never stopping the others.
 */
export async function setupHosts(
  connections: HostConnection[],
  o: { cacheDir: string; needsPodman: boolean; parallel: number },
): Promise<Array<SetupOutcome | { host: string; state: 'unreachable'; reason: string }>> {
  const bundle = await agentBundle(o.cacheDir);
  const out = [];
  for (let i = 0; i < connections.length; i += o.parallel) {
    const group = connections.slice(i, i + o.parallel);
    out.push(
      ...(await Promise.all(
        group.map(async (c) => {
          try {
            const session = await c.open();
            const outcome = await setupAgent(session, {
              agentDir: c.agentDir,
              bundle,
              needsPodman: o.needsPodman,
              routerHost: splitHost(c.host).address,
            });
            return { ...outcome, host: c.host };
          } catch (err) {
            return { host: c.host, state: 'unreachable' as const, reason: toCutoverError(err).message };
          }
        }),
      )),
    );
  }
  return out;
}
