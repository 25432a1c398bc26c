import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { agentBundle } from '../../../src/adapters/target/ssh/agent-bundle.js';
import { parseKnownHosts } from '../../../src/adapters/target/ssh/known-hosts.js';
import { agentClient, setupAgent } from '../../../src/adapters/target/ssh/setup-agent.js';
import { openSshSession, type SshSession } from '../../../src/adapters/target/ssh/ssh-session.js';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { startSshFleet, type SshFleet } from '../../support/ssh-fleet.js';

/**
 * The agent setup of `hosts setup` on real sshd hosts: the bundle (the runtime daemon and the
 * modules it loads, nothing else) is uploaded over SFTP, unpacked outside this checkout and
 * started; a second setup changes nothing.
 */
describe('agent setup on sshd hosts', { skip: skipUnlessInstalled('sshd') }, () => {
  let fleet: SshFleet;
  let sessions: SshSession[] = [];
  before(async () => {
    fleet = await startSshFleet(3);
    sessions = await Promise.all(
      fleet.hosts.map((h) =>
        openSshSession({
          host: h.address,
          port: 22,
          user: 'root',
          privateKey: readFileSync(fleet.identityFile),
          known: parseKnownHosts(fleet.knownHosts)(h.address, 22),
        }),
      ),
    );
  });
  after(async () => {
    for (const s of sessions)
      await agentClient(s, agentDir(s))
        .shutdown()
        .catch(() => undefined);
    for (const s of sessions) s.close();
    await fleet?.stop();
  });
  const agentDir = (s: SshSession) => join(fleet.dir, `agent-${s.host}`);
  const setup = async () => {
    const bundle = await agentBundle(join(fleet.dir, 'cache'));
    return Promise.all(
      sessions.map((s) =>
        setupAgent(s, { agentDir: agentDir(s), bundle, needsPodman: true, routerHost: s.host }),
      ),
    );
  };

  it('installs and starts the agent on every host; it serves on the host address', async () => {
    const outcomes = await setup();
    assert.deepEqual(
      outcomes.map((o) => o.state),
      ['installed', 'installed', 'installed'],
      JSON.stringify(outcomes),
    );
    for (const s of sessions) {
      const client = agentClient(s, agentDir(s));
      const env = await client.putEnvironment('production', { port: 0 });
      const reply = await fetch(`http://${s.host}:${env.port}/`);
      assert.equal(reply.status, 503, 'the router on the host answers; no version yet');
      const modules = (await s.exec(`ls ${agentDir(s)}/current/node_modules`)).stdout.split('\n');
      assert.ok(modules.includes('better-sqlite3') && !modules.includes('ssh2'), modules.join(' '));
    }
  });

  it('a second setup finds every agent ready and changes nothing', async () => {
    const before = await Promise.all(sessions.map((s) => agentClient(s, agentDir(s)).status()));
    const outcomes = await setup();
    assert.deepEqual(
      outcomes.map((o) => o.state),
      ['ready', 'ready', 'ready'],
    );
    const after = await Promise.all(sessions.map((s) => agentClient(s, agentDir(s)).status()));
    assert.deepEqual(
      after.map((s) => s.pid),
      before.map((s) => s.pid),
      'same agents, not restarted',
    );
  });
});
