import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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
  /** kill -9 of everything running in the host: its disk (a tmpfs of its own) is gone with it */
  crash(): void;
  /** boots it again, fresh: sshd only, an empty disk */
  reboot(): Promise<void>;
}

export const run = (cmd: string, ...args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * One host: a network namespace with a veth into the fleet's bridge, and an sshd started in it
 * with `nsenter --net=… unshare --mount --uts` (RECIPES "OpenSSH hosts"), on a disk of its own.
 */
export function startHost(
  dir: string,
  id: string,
  subnet: string,
  bridge: string,
  i: number,
  authorized: string,
) {
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
  const boot = () =>
    spawn(
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
  const host: FleetHost = {
    name,
    address,
    link,
    netns,
    sshd: boot(),
    crash: () => {
      for (const pid of pidsIn(name)) quietly(() => process.kill(pid, 'SIGKILL'));
    },
    reboot: async () => {
      host.sshd = boot();
      await waitForSshd(host);
    },
  };
  const publicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { host, publicKey };
}

export async function waitForSshd(host: FleetHost): Promise<void> {
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

export function quietly(act: () => void): void {
  try {
    act();
  } catch {
    // already gone
  }
}
