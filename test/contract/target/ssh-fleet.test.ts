import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentBundle } from '../../../src/adapters/target/ssh/agent-bundle.js';
import { HostConnection } from '../../../src/adapters/target/ssh/host-connection.js';
import { parseKnownHosts } from '../../../src/adapters/target/ssh/known-hosts.js';
import { setupAgent } from '../../../src/adapters/target/ssh/setup-agent.js';
import { createSshFleetTarget } from '../../../src/adapters/target/ssh/ssh-fleet-target.js';
import { createSshHostTarget } from '../../../src/adapters/target/ssh/ssh-host-target.js';
import { releaseLayoutArchive } from '../../../src/adapters/target/ssh/stage-layout.js';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { httpRequest } from '../../support/runtime-http.js';
import { startSshFleet } from '../../support/ssh-fleet.js';
import { describeTargetContract, type TargetHarness } from './target-contract.js';

// The ssh target over three sshd hosts (network namespaces), each with its agent: the fleet must
// behave as one target. Each environment gets a router port of its own on every host; what
// serves is asked of every host's router, and counts only when all of them agree.
describeTargetContract(
  'ssh fleet of 3 hosts',
  async (): Promise<TargetHarness> => {
    const fleet = await startSshFleet(3);
    const agentDir = '/srv/cutover';
    const known = parseKnownHosts(fleet.knownHosts);
    const connections = fleet.hosts.map(
      (h) =>
        new HostConnection(
          h.address,
          {
            host: h.address,
            port: 22,
            user: 'root',
            privateKey: readFileSync(fleet.identityFile),
            known: known(h.address, 22),
          },
          agentDir,
        ),
    );
    try {
      const bundle = await agentBundle(join(fleet.dir, 'cache'));
      for (const c of connections)
        await setupAgent(await c.open(), { agentDir, bundle, needsPodman: false, routerHost: c.host });
      const releases = await Promise.all(['1.0.0', '2.0.0', '3.0.0'].map((v) => buildTestApp(fleet.dir, v)));
      const neverHealthy = await buildTestApp(fleet.dir, '9.9.9', { mode: 'never-healthy' });
      const all = [...releases, neverHealthy];
      const digestOf = new Map(releases.map((r) => [r.release.tag.split('-')[0], r.release.digest]));
      const ports = new Map<string, number>();
      const portOf = (environment: string) => {
        if (!ports.has(environment)) ports.set(environment, 7100 + ports.size);
        return ports.get(environment)!;
      };
      return {
        releases: releases as TargetHarness['releases'],
        neverHealthy,
        target: (environment) =>
          createSshFleetTarget({
            environment,
            parallel: 2,
            canaryHosts: 1,
            hosts: connections.map((connection) => ({
              host: connection.host,
              close: () => connection.close(),
              target: createSshHostTarget({
                connection,
                router: { environment, port: portOf(environment) },
                archive: (layoutDir, release) =>
                  releaseLayoutArchive(layoutDir, release, join(fleet.dir, 'archives')),
                localLayout: async (release) =>
                  all.find((r) => r.release.digest === release.digest)!.layoutDir,
                secrets: [],
              }),
            })),
          }),
        async servedBy(environment) {
          const answers = await Promise.all(
            fleet.hosts.map(async (h) => {
              const reply = await httpRequest(`http://${h.address}:${portOf(environment)}/`).catch(
                () => undefined,
              );
              if (reply?.status !== 200) return undefined;
              return digestOf.get((JSON.parse(reply.body) as { version: string }).version);
            }),
          );
          return answers.every((a) => a === answers[0])
            ? answers[0]
            : `hosts disagree: ${answers.join(', ')}`;
        },
        cleanup: async () => {
          for (const c of connections) c.close();
          await fleet.stop();
        },
      };
    } catch (err) {
      for (const c of connections) c.close();
      await fleet.stop();
      throw err;
    }
  },
  { skip: skipUnlessInstalled('sshd') },
);
