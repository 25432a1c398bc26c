import { CutoverError, toCutoverError } from '../../../core/errors.js';
import type { HostSteps, Rollout, Target, TargetSnapshot } from '../../../ports/target.js';
import { fleetSnapshot, hostEntry, hostShare } from './fleet-snapshot.js';

export interface FleetHost {
  /** as cutover.yaml names it: what the journal and the result name */
  host: string;
  target: Target;
  close(): void;
}

export interface SshFleetOptions {
  environment: string;
  hosts: FleetHost[];
  /** hosts changed at once */
  parallel: number;
  /** the first hosts of the list, changed (and checked) before any other */
  canaryHosts: number;
}

/**
 * An environment served by several hosts, each with its own agent. A rollout walks them in
 * groups (the canary hosts alone first, then `parallel` at a time), each host changed exactly as
 * the local target changes one machine; a restore walks the hosts it is given newest first and
 * goes on past a host it cannot reach, which it reports `unreconciled`.
 */
export function createSshFleetTarget(o: SshFleetOptions): Target {
  const { environment, hosts } = o;
  const byName = new Map(hosts.map((h) => [h.host, h]));
  const groups = groupsOf(hosts, o.parallel, o.canaryHosts);

  /** `act` on every host, `parallel` at a time; the first failure, naming its host, is thrown. */
  const eachHost = async <T>(list: FleetHost[], act: (h: FleetHost) => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (const group of chunks(list, o.parallel)) {
      const settled = await Promise.allSettled(group.map(act));
      const failed = settled.findIndex((s) => s.status === 'rejected');
      if (failed >= 0) throw onHost(group[failed]!.host, (settled[failed] as PromiseRejectedResult).reason);
      out.push(...settled.map((s) => (s as PromiseFulfilledResult<T>).value));
    }
    return out;
  };
  const fleetOf = async (read: (t: Target) => Promise<TargetSnapshot>) =>
    fleetSnapshot(environment, await eachHost(hosts, async (h) => hostEntry(h.host, await read(h.target))));

  const rollout = async (plan: Rollout, steps: HostSteps): Promise<TargetSnapshot> => {
    const applyHost = async (h: FleetHost) => {
      const previous = await h.target.snapshot();
      await steps.starting(h.host, previous);
      try {
        await h.target.start(plan.release, plan.layoutDir, plan.options);
        const { weights, retire } = plan.plan(previous);
        await h.target.route(weights, plan.groupId === undefined ? undefined : { groupId: plan.groupId });
        for (const digest of retire) await h.target.stop(digest, plan.options);
        await steps.applied(h.host, await h.target.snapshot());
      } catch (err) {
        await steps.failed(h.host, err);
        throw err;
      }
    };
    for (const group of groups) {
      const settled = await Promise.allSettled(group.map(applyHost));
      const failed = settled.findIndex((s) => s.status === 'rejected');
      if (failed >= 0) throw onHost(group[failed]!.host, (settled[failed] as PromiseRejectedResult).reason);
    }
    return fleetOf((t) => t.snapshot());
  };

  const restore: Target['restore'] = async (wanted, options, scope) => {
    const names = scope ? scope.hosts : hosts.map((h) => h.host);
    const order = [...names].reverse().flatMap((name) => byName.get(name) ?? []);
    const unreached: string[] = [];
    for (const group of chunks(order, o.parallel)) {
      await Promise.all(
        group.map(async (h) => {
          try {
            await h.target.restore(hostShare(wanted, h.host), options);
          } catch (err) {
            unreached.push(`${h.host} (${toCutoverError(err).message})`);
            await scope?.steps.unreconciled(h.host, err);
            return;
          }
          await scope?.steps.restored(h.host);
        }),
      );
    }
    if (unreached.length > 0)
      throw new CutoverError(
        'E_HOST_UNREACHABLE',
        `${unreached.length} host(s) of ${environment} not put back: ${unreached.join('; ')}`,
        { environment, hosts: unreached },
      );
  };

  return {
    name: 'ssh',
    environment,
    snapshot: () => fleetOf((t) => t.snapshot()),
    peek: () => fleetOf((t) => t.peek()),
    start: async (release, layoutDir, options) => {
      await eachHost(hosts, (h) => h.target.start(release, layoutDir, options));
    },
    route: async (weights, options) => {
      await eachHost(hosts, (h) => h.target.route(weights, options));
    },
    stop: async (digest, options) => {
      await eachHost(hosts, (h) => h.target.stop(digest, options));
    },
    restore,
    rollout,
    dispose: async () => {
      for (const h of hosts) h.close();
    },
  };
}

/** The canary hosts alone, then the others `parallel` at a time, in cutover.yaml's order. */
export function groupsOf<T>(hosts: T[], parallel: number, canaryHosts: number): T[][] {
  const canary = Math.min(canaryHosts, hosts.length);
  return [...(canary > 0 ? [hosts.slice(0, canary)] : []), ...chunks(hosts.slice(canary), parallel)];
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The host's error with the host named first (and in its details), code unchanged. */
function onHost(host: string, err: unknown): CutoverError {
  const e = toCutoverError(err, 'E_APPLY_FAILED');
  const message = e.message.startsWith(`${host}`) ? e.message : `${host}: ${e.message}`;
  return new CutoverError(e.code, message, { ...(e.details as object), host }, e.cause ?? err);
}
