import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployArgs, resultOf, runCli } from '../support/cli.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../support/docker-registry.js';
import { getJson, makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const skip = skipUnlessInstalled('docker-registry', 'skopeo');
let project: Awaited<ReturnType<typeof makeProject>>;
let registry: RunningRegistry;

before(async () => {
  if (skip) return;
  registry = await startDockerRegistry({ auth: { username: 'deployer', password: 's3cret-pw' } });
  project = await makeProject();
  const target = (port: number) => `{ type: local, port: ${port}, health_timeout: 10s }`;
  const reg = `{ type: oci-distribution, url: "${registry.url}", repository: team/shop, username: deployer, password_env: SHOP_REGISTRY_PASSWORD }`;
  writeFileSync(
    join(project.dir, 'cutover.yaml'),
    `environments:\n  production: { target: ${target(project.ports.production)}, registry: ${reg} }\n  staging: { target: ${target(project.ports.staging)} }\n`,
  );
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(async () => {
  await project?.dispose();
  await registry?.stop();
});

const deploy = (version: string, password: string) =>
  runCli(
    deployArgs(
      writeSampleChangeset(project.dir, `v${version}`, { version }),
      'fast-track',
      '--output',
      'json',
    ),
    {
      cwd: project.dir,
      env: { CUTOVER_STATE_DIR: project.stateDir, SHOP_REGISTRY_PASSWORD: password },
    },
  );

test(
  'a fast-track deploy through a password-protected docker-registry: skopeo sees the same digest',
  { skip },
  async () => {
    const run = await deploy('1.0.0', 's3cret-pw');
    assert.equal(run.code, 0, run.stderr);
    const r = resultOf(run);
    assert.equal(r.artifact.repository, 'team/shop');
    const host = registry.url.replace(/^https?:\/\//, '');
    const inspected = JSON.parse(
      execFileSync(
        'skopeo',
        [
          'inspect',
          '--tls-verify=false',
          '--creds',
          'deployer:s3cret-pw',
          `docker://${host}/team/shop:${r.artifact.tag}`,
        ],
        { encoding: 'utf8' },
      ),
    );
    assert.equal(inspected.Digest, r.artifact.digest);
    assert.deepEqual((await getJson(project.url())).body, { version: '1.0.0' });
    assert.doesNotMatch(run.stdout + run.stderr, /s3cret-pw/);
  },
);

test(
  'a wrong password fails PUSH naming the registry, publishes nothing, and the old version keeps serving',
  { skip },
  async () => {
    const run = await deploy('2.0.0', 'wrong-password');
    assert.equal(run.code, 1, run.stderr);
    const r = resultOf(run);
    assert.equal(r.failed_step, 'PUSH');
    assert.match(r.reason, new RegExp(`authentication failed for ${registry.url.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(run.stdout + run.stderr, /wrong-password/);
    assert.deepEqual((await getJson(project.url())).body, { version: '1.0.0' });
    const audit = await project.cli(['audit', 'verify']);
    assert.equal(audit.code, 0);
  },
);
