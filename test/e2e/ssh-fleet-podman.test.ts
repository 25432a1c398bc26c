import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { resultOf } from '../support/cli.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../support/docker-registry.js';
import { startFleetProject, type FleetProject } from '../support/fleet-project.js';
import { pushNodeBase } from '../support/node-base-image.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const skip = skipUnlessInstalled('sshd', 'podman', 'docker-registry');
const AUTH = { username: 'deployer', password: `pw-${randomBytes(12).toString('hex')}` };
let registry: RunningRegistry;
let project: FleetProject;
let base = '';

before(async () => {
  if (skip) return;
  project = await startFleetProject(2, {
    parallel: 2,
    canaryHosts: 1,
    // a registry with a password on the fleet's bridge: the hosts pull from it themselves
    podman: async (fleet) => {
      registry = await startDockerRegistry({ auth: AUTH, host: fleet.gateway });
      base = await pushNodeBase(registry.url, AUTH);
      const url = registry.url;
      return {
        type: 'oci-distribution',
        url,
        repository: 'team/shop',
        username: 'deployer',
        password_env: 'REGISTRY_PASSWORD',
      };
    },
  });
  assert.equal((await project.setup()).code, 0);
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(async () => {
  await project?.stop();
  await registry?.stop();
});

/**
 * Issue 15 with `runner: podman`: each host pulls the release by digest from the environment's
 * registry (with the CLI's credentials, handed over the SSH channel and removed), runs it as a
 * container in its own podman storage, and the password is left on no host.
 */
it(
  'fast-track with runner podman: every host pulls by digest and serves the container; no password left',
  { skip },
  async () => {
    const env = { REGISTRY_PASSWORD: AUTH.password };
    const changeset = (name: string, version: string) =>
      writeSampleChangeset(project.dir, name, { version, extra: { build: { base } } });
    const v1 = await project.deploy(changeset('v1', '1.0.0'), 'fast-track', env);
    assert.equal(resultOf(v1).status, 'success', v1.stderr);
    assert.deepEqual(await project.versionsOnHosts(), ['1.0.0', '1.0.0']);
    const v2 = await project.deploy(changeset('v2', '2.0.0'), 'fast-track', env);
    const digest = resultOf(v2).artifact.digest as string;
    assert.equal(resultOf(v2).status, 'success', v2.stderr);
    assert.deepEqual(await project.versionsOnHosts(), ['2.0.0', '2.0.0']);
    for (const h of project.fleet.hosts) {
      // in the host's own mount namespace (its podman storage, its /srv): what its sshd sees
      const inHost = (cmd: string) => project.onHost(h, cmd);
      const images = await inHost(
        'podman --runtime runc --cgroup-manager cgroupfs images --digests --format "{{.Repository}}@{{.Digest}}"',
      );
      assert.match(images, new RegExp(`team/shop@${digest.replace(/[:]/g, ':')}`), images);
      const running = await inHost(
        'podman --runtime runc --cgroup-manager cgroupfs ps --format "{{.Names}}"',
      );
      assert.match(running, /^cutover-production-2\.0\.0-/m, running);
      const leftovers = await inHost(`grep -rl '${AUTH.password}' /srv /tmp 2>/dev/null || true`);
      assert.equal(leftovers.trim(), '', `the registry password is left on ${h.address}: ${leftovers}`);
    }
  },
);
