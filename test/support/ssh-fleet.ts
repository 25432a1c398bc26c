import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './tmp.js';
import { quietly, run, startHost, waitForSshd, type FleetHost } from './fleet-host.js';

export type { FleetHost } from './fleet-host.js';

export interface SshFleet {
  hosts: FleetHost[];
  /** the bridge's own address: what the hosts reach the machine's servers at */
  gateway: string;
  /** private key (OpenSSH format) every host accepts for root */
  identityFile: string;
  /** every host's key, `address ssh-ed25519 …`, as OpenSSH writes known_hosts */
  knownHosts: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * `count` hosts, each a network namespace with a veth into a bridge of its own and an sshd started
 * with `nsenter --net=… unshare --mount --uts` (RECIPES "OpenSSH hosts"; so that podman works in
 * its sessions), accepting one generated key for root. Names and the /24 are random, so test files
 * running at once never meet; `stop` tears everything down by name.
 */
export async function startSshFleet(count: number): Promise<SshFleet> {
  const id = randomBytes(3).toString('hex');
  const subnet = `10.${200 + (parseInt(id.slice(0, 2), 16) % 50)}.${parseInt(id.slice(2, 4), 16)}`;
  const bridge = `cb${id}`;
  const tmp = makeTempDir('cutover-fleet-');
  const hosts: FleetHost[] = [];
  const stop = async () => {
    // everything started in a host (its agent, the versions, podman's conmon) dies with it
    for (const h of hosts) h.crash();
    for (const h of hosts) h.sshd.kill('SIGKILL');
    for (const h of hosts) quietly(() => run('ip', 'netns', 'del', h.name));
    quietly(() => run('ip', 'link', 'del', bridge));
    tmp.cleanup();
  };
  try {
    run('ip', 'link', 'add', bridge, 'type', 'bridge');
    run('ip', 'addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    run('ip', 'link', 'set', bridge, 'up');
    for (const dir of ['/run/sshd', '/run/libpod', '/run/containers', '/var/lib/containers'])
      mkdirSync(dir, { recursive: true });
    const clientKey = join(tmp.dir, 'id_ed25519');
    run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', clientKey);
    const authorized = join(tmp.dir, 'authorized_keys');
    writeFileSync(authorized, readFileSync(`${clientKey}.pub`));
    const known: string[] = [];
    for (let i = 1; i <= count; i++) {
      const host = startHost(tmp.dir, id, subnet, bridge, i, authorized);
      hosts.push(host.host);
      known.push(`${host.host.address} ${host.publicKey}`);
    }
    await Promise.all(hosts.map((h) => waitForSshd(h)));
    return {
      hosts,
      gateway: `${subnet}.1`,
      identityFile: clientKey,
      knownHosts: `${known.join('\n')}\n`,
      dir: tmp.dir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
