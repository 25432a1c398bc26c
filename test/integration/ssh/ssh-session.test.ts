import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseKnownHosts } from '../../../src/adapters/target/ssh/known-hosts.js';
import { openSshSession, type SshSession } from '../../../src/adapters/target/ssh/ssh-session.js';
import { RuntimeClient } from '../../../src/runtime/client/admin-client.js';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { startSshFleet, type SshFleet } from '../../support/ssh-fleet.js';
import { waitUntil } from '../../support/wait-until.js';

/**
 * The SSH layer of the ssh target against real sshd hosts in network namespaces: one session per
 * host, host keys pinned from an OpenSSH known_hosts file (hashed by ssh-keygen itself), and each
 * way a session cannot open named.
 */
describe('ssh sessions to a fleet of sshd hosts', { skip: skipUnlessInstalled('sshd') }, () => {
  let fleet: SshFleet;
  before(async () => {
    fleet = await startSshFleet(20);
  });
  after(() => fleet?.stop());

  const endpoint = (i: number, knownHosts = fleet.knownHosts) => ({
    host: fleet.hosts[i]!.address,
    port: 22,
    user: 'root',
    privateKey: readFileSync(fleet.identityFile),
    known: parseKnownHosts(knownHosts)(fleet.hosts[i]!.address, 22),
  });

  it('opens one session per host on 20 hosts and runs commands there (in its namespace)', async () => {
    const sessions: SshSession[] = await Promise.all(fleet.hosts.map((_, i) => openSshSession(endpoint(i))));
    try {
      const names = await Promise.all(sessions.map(async (s) => (await s.exec('hostname')).stdout.trim()));
      assert.deepEqual(
        names,
        fleet.hosts.map((h) => h.name),
      );
      const failing = await sessions[0]!.exec('echo out; echo err >&2; exit 3');
      assert.deepEqual(failing, { code: 3, stdout: 'out\n', stderr: 'err\n' });
      // Channels of one connection run at once.
      const parallel = await Promise.all([1, 2, 3].map((n) => sessions[1]!.exec(`sleep 0.2; echo ${n}`)));
      assert.deepEqual(
        parallel.map((r) => r.stdout),
        ['1\n', '2\n', '3\n'],
      );
    } finally {
      for (const s of sessions) s.close();
    }
  });

  it("reads a known_hosts that ssh-keygen hashed, and refuses a key that is not the host's", async () => {
    const file = join(fleet.dir, 'known_hosts_hashed');
    writeFileSync(file, fleet.knownHosts);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    const hashed = readFileSync(file, 'utf8');
    assert.ok(!hashed.includes(fleet.hosts[2]!.address), 'names are hashed');
    const session = await openSshSession(endpoint(2, hashed));
    assert.equal((await session.exec('hostname')).stdout.trim(), fleet.hosts[2]!.name);
    session.close();

    // Host 4's name with host 5's key: a host whose key changed.
    const [, key5] = fleet.knownHosts.split('\n')[5]!.split(/ (.*)/);
    const swapped = `${fleet.hosts[4]!.address} ${key5}\n`;
    await assert.rejects(openSshSession(endpoint(4, swapped)), (err: any) => {
      assert.equal(err.code, 'E_HOST_KEY_REJECTED');
      assert.match(
        err.message,
        new RegExp(
          `^root@${fleet.hosts[4]!.address.replace(/\./g, '\\.')}:22: refused: its key SHA256:\\S+ is not the one known_hosts lists \\(SHA256:\\S+\\)$`,
        ),
      );
      return true;
    });
    await assert.rejects(openSshSession(endpoint(4, '')), /E_HOST_KEY_REJECTED|not in known_hosts/);
    await assert.rejects(
      openSshSession(endpoint(6, `@revoked ${fleet.knownHosts.split('\n')[6]}\n`)),
      /is revoked in known_hosts/,
    );
  });

  it('talks to a runtime daemon on a host through the session: its admin socket, no port opened', async () => {
    const session = await openSshSession(endpoint(3));
    const stateDir = join(fleet.dir, 'agent-h3');
    const socket = join(stateDir, 'runtime', 'admin.sock');
    let stopAgent: (() => Promise<void>) | undefined;
    try {
      const daemon = fileURLToPath(new URL('../../../src/runtime/daemon/daemon-main.js', import.meta.url));
      const started = await session.exec(
        `CUTOVER_ROUTER_HOST=${fleet.hosts[3]!.address} setsid nohup ${process.execPath} ${daemon} --state-dir ${stateDir} </dev/null >/dev/null 2>&1 &`,
      );
      assert.equal(started.code, 0, started.stderr);
      const client = new RuntimeClient(socket, (done) => session.forwardToSocket(socket, done));
      stopAgent = () => client.shutdown().catch(() => undefined);
      await waitUntil(
        () =>
          client.status(1000).then(
            () => true,
            () => false,
          ),
        'the agent to answer',
      );
      const env = await client.putEnvironment('production', { port: 0 });
      // The router listens on the host's address (CUTOVER_ROUTER_HOST), in its namespace: reached
      // over the bridge, as a load balancer would; this machine's own loopback has nothing there.
      const reply = await fetch(`http://${fleet.hosts[3]!.address}:${env.port}/`);
      assert.equal(reply.status, 503, 'no version yet: the router itself answers');
      const here = await fetch(`http://127.0.0.1:${env.port}/`).catch(() => null);
      assert.notEqual(here?.status, 503, "not this machine's loopback");
      await client.shutdown();
      await waitUntil(
        () =>
          client.status(1000).then(
            () => false,
            () => true,
          ),
        'the agent to stop',
      );
    } finally {
      await stopAgent?.();
      session.close();
    }
  });

  it('a host whose link is down is E_HOST_UNREACHABLE, named', async () => {
    const host = fleet.hosts[7]!;
    execFileSync('ip', ['link', 'set', host.link, 'down']);
    try {
      await assert.rejects(openSshSession(endpoint(7)), (err: any) => {
        assert.equal(err.code, 'E_HOST_UNREACHABLE');
        assert.match(err.message, new RegExp(`^root@${host.address.replace(/\./g, '\\.')}:22: `));
        return true;
      });
    } finally {
      execFileSync('ip', ['link', 'set', host.link, 'up']);
    }
  });
});
