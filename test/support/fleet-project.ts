import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isCutoverError } from '../../src/core/errors.js';
import { RuntimeClient } from '../../src/runtime/client/admin-client.js';
import { runCli } from './cli.js';
import { httpRequest } from './runtime-http.js';
import { startSshFleet, type FleetHost, type SshFleet } from './ssh-fleet.js';
import { makeTempDir } from './tmp.js';

export const FLEET_ROUTER_PORT = 7080;

export type FleetProject = Awaited<ReturnType<typeof startFleetProject>>;

/**
 * A cutover project whose production is an ssh target over `count` fresh sshd hosts (the test
 * fleet), in cutover.yaml's order: what the fleet tests start from.
 */
export async function startFleetProject(
  count: number,
  o: {
    parallel: number;
    canaryHosts: number;
    /** `runner: podman` pulling from this registry (cutover.yaml's `registry`), which the hosts reach */
    podman?: (fleet: SshFleet) => Promise<Record<string, unknown>>;
  },
) {
  const fleet: SshFleet = await startSshFleet(count);
  const tmp = makeTempDir('cutover-fleet-e2e-');
  const stateDir = join(tmp.dir, '.cutover');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(args, { cwd: tmp.dir, env: { CUTOVER_STATE_DIR: stateDir, ...env } });
  writeFileSync(join(tmp.dir, 'known_hosts'), fleet.knownHosts);
  const target = {
    type: 'ssh',
    hosts: fleet.hosts.map((h) => h.address),
    user: 'root',
    identity_file: fleet.identityFile,
    known_hosts: './known_hosts',
    port: FLEET_ROUTER_PORT,
    agent_dir: '/srv/cutover',
    health_timeout: '20s',
    drain_timeout: '2s',
    rollout: { parallel: o.parallel, canary_hosts: o.canaryHosts },
  };
  const registry = o.podman
    ? await o.podman(fleet).catch(async (err: unknown) => {
        await fleet.stop();
        throw err;
      })
    : undefined;
  const production = registry ? { target: { ...target, runner: 'podman' }, registry } : { target };
  const config = { baseline: { window: '2s', min_samples: 5 }, environments: { production } };
  const writeConfig = () => writeFileSync(join(tmp.dir, 'cutover.yaml'), stringify(config));
  writeConfig();
  /** cutover.yaml's hosts from now on (a host retired) */
  const setHosts = (hosts: FleetHost[]) => {
    production.target.hosts = hosts.map((h) => h.address);
    writeConfig();
  };
  const setup = () => cli(['hosts', 'setup', '--env', 'production']);

  /** What each host's router serves to one user (`hosts`: all by default). */
  const versionsOnHosts = (user = 'someone', hosts: FleetHost[] = fleet.hosts) =>
    Promise.all(
      hosts.map(async (h) => {
        const reply = await httpRequest(`http://${h.address}:${FLEET_ROUTER_PORT}/`, {
          headers: { 'x-user-id': user },
        });
        return (JSON.parse(reply.body) as { version: string }).version;
      }),
    );

  /** Every version each host's agent runs, routed or not, with its weight: `host: tag=weight,…`. */
  const servingByHost = (): Promise<string[]> =>
    Promise.all(
      fleet.hosts.map(async (h) => {
        // what `hosts status` reads (getEnvironment), from the agent's socket in the host's mount
        // namespace: the crash loop reads it after every one of its kills, an ssh session apiece
        const socket = `/proc/${h.sshd.pid}/root${target.agent_dir}/state/runtime/admin.sock`;
        const view = await new RuntimeClient(socket).getEnvironment('production').catch((err: unknown) => {
          if (isCutoverError(err) && err.code === 'E_NOT_FOUND') return { versions: [] };
          throw err;
        });
        const versions = view.versions.map((v) => `${v.release.tag.split('-')[0]}=${v.weight}`);
        return `${h.address}: ${versions.sort().join(',')}`;
      }),
    );

  /** Runs `command` inside the host (its network and mount namespaces, as its sshd sees them). */
  const onHost = (host: FleetHost, command: string): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(
        'nsenter',
        ['-t', String(host.sshd.pid), '-m', '-n', 'sh', '-c', command],
        { encoding: 'utf8' },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${command}: ${stderr || err.message}`)) : resolve(stdout),
      ),
    );

  return {
    fleet,
    onHost,
    setHosts,
    dir: tmp.dir,
    stateDir,
    cli,
    setup,
    versionsOnHosts,
    servingByHost,
    deploy: (changeset: string, strategy: string, env: NodeJS.ProcessEnv = {}) =>
      cli(
        ['deploy', '-c', changeset, '--env', 'production', '--strategy', strategy, '--output', 'json'],
        env,
      ),
    async stop() {
      await fleet.stop();
      tmp.cleanup();
    },
  };
}
