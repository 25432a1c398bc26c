import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeTempDir } from './tmp.js';
import { waitUntil } from './wait-until.js';

/** One host of a test fleet: a network namespace with its own sshd on the test bridge. */
export interface FleetHost {
  name: string;
  /** address on the bridge, where its sshd listens on port 22 */
  address: string;
  /** the host's veth on the bridge side: `ip link set <it> down` cuts the host off */
  link: string;
  /** `/run/netns/<name>`, for `nsenter --net=` */
  netns: string;
  sshd: ChildProcess;
}

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

const run = (cmd: string, ...args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

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
    for (const h of hosts) for (const pid of pidsIn(h.name)) quietly(() => process.kill(pid, 'SIGKILL'));
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

function startHost(dir: string, id: string, subnet: string, bridge: string, i: number, authorized: string) {
  const name = `c${id}h${i}`;
  const link = `v${id}h${i}`;
  const address = `${subnet}.${10 + i}`;
  run('ip', 'netns', 'add', name);
  run('ip', 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`);
  run('ip', 'link', 'set', `${link}p`, 'netns', name);
  run('ip', 'link', 'set', link, 'master', bridge, 'up');
  run('ip', 'netns', 'exec', name, 'ip', 'addr', 'add', `${address}/24`, 'dev', `${link}p`);
  run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', `${link}p`, 'up');
  run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  run('ip', 'netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', `${subnet}.1`);
  const hostKey = join(dir, `${name}_host_ed25519`);
  run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey);
  const config = join(dir, `${name}_sshd_config`);
  writeFileSync(
    config,
    [
      `ListenAddress ${address}:22`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, `${name}.pid`)}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 10',
      'MaxStartups 10:30:100',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const netns = `/run/netns/${name}`;
  const sshd = spawn(
    'nsenter',
    [
      `--net=${netns}`,
      'unshare',
      '--mount',
      '--uts',
      'sh',
      '-c',
      // Each host's own disk: /srv (where tests put agent_dir) and podman's storage, in memory
      // and private to the host's mount namespace, so hosts share nothing but the bridge.
      [
        `hostname ${name}`,
        'mount -t tmpfs tmpfs /srv',
        'mkdir -p /srv/.containers/storage /srv/.containers/run /srv/.containers/libpod',
        'mount --bind /srv/.containers/storage /var/lib/containers',
        'mount --bind /srv/.containers/run /run/containers',
        'mount --bind /srv/.containers/libpod /run/libpod',
        // a fresh server's root has no shell start-up of this machine's (its ~/.bashrc, which
        // sshd's `bash -c` reads, sets up pyenv in ~1 s per command)
        ...['.bashrc', '.profile']
          .filter((f) => existsSync(join(homedir(), f)))
          .map((f) => `touch /srv/.empty && mount --bind /srv/.empty ${join(homedir(), f)}`),
        `exec /usr/sbin/sshd -D -e -f ${config}`,
      ].join(' && '),
    ],
    { stdio: 'ignore' },
  );
  const publicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { host: { name, address, link, netns, sshd }, publicKey };
}

async function waitForSshd(host: FleetHost): Promise<void> {
  await waitUntil(async () => {
    if (host.sshd.exitCode !== null) throw new Error(`sshd of ${host.name} exited (${host.sshd.exitCode})`);
    try {
      run('ip', 'netns', 'exec', host.name, 'bash', '-c', `exec 3<>/dev/tcp/${host.address}/22`);
      return true;
    } catch {
      return false;
    }
  }, `sshd of ${host.name} to listen`);
}

function pidsIn(netns: string): number[] {
  try {
    return run('ip', 'netns', 'pids', netns).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function quietly(act: () => void): void {
  try {
    act();
  } catch {
    // already gone
  }
}
