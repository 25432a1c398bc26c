import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultOf, type CliRun } from '../support/cli.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../support/docker-registry.js';
import { pushNodeBase } from '../support/node-base-image.js';
import { runSkopeo } from '../support/oci-skopeo.js';
import {
  containersWith,
  imagesUnder,
  podman,
  removeContainers,
  removeImagesUnder,
  runContainer,
} from '../support/podman.js';
import { freePort } from '../support/ports.js';
import { getJson, makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { waitUntil } from '../support/wait-until.js';

const skip = skipUnlessInstalled('docker-registry', 'skopeo', 'podman');
const LABEL = `io.cutover.test=runnable-images-${randomBytes(4).toString('hex')}`;
type Project = Awaited<ReturnType<typeof makeProject>>;

/**
 * Issue 13's acceptance for images that run on their own: built on a base image (daemonless) and
 * from a Containerfile (podman), each reproducible, labelled, and served by a container started by
 * hand from the registry by digest.
 */
describe('runnable images: build.base and build.containerfile', { skip }, () => {
  let registry: RunningRegistry;
  let host: string;
  let base: string;
  const projects: Project[] = [];

  /** A project whose production registry is the test registry; its app has a Containerfile. */
  async function project(): Promise<Project> {
    const p = await makeProject();
    projects.push(p);
    const target = `{ type: local, port: ${p.ports.production}, health_timeout: 60s, drain_timeout: 1s }`;
    const reg = `{ type: oci-distribution, url: "${registry.url}", repository: team/shop }`;
    writeFileSync(
      join(p.dir, 'cutover.yaml'),
      `environments:\n  production: { target: ${target}, registry: ${reg} }\n`,
    );
    assert.equal((await p.cli(['flags', 'create', 'ff-shop'])).code, 0);
    return p;
  }

  function deploy(
    p: Project,
    version: string,
    build: Record<string, unknown>,
    containerfile = 'COPY . /app/',
  ): Promise<CliRun> {
    const changeset = writeSampleChangeset(p.dir, `cs-${version}`, { version, extra: { build } });
    writeFileSync(
      join(p.dir, 'app', 'Containerfile'),
      `FROM ${base}\nWORKDIR /app\n${containerfile}\nEXPOSE 8080\nCMD ["node", "server.mjs"]\n`,
    );
    return p.deploy(changeset, 'fast-track', '--output', 'json');
  }

  before(async () => {
    registry = await startDockerRegistry();
    host = new URL(registry.url).host;
    base = await pushNodeBase(registry.url);
  });
  after(async () => {
    for (const p of projects) await p.dispose();
    await removeContainers(LABEL).catch(() => undefined);
    // What podman pulled from this run's registry (the FROM image, the images run by hand).
    await removeImagesUnder(`${host}/`).catch(() => undefined);
    await registry?.stop();
  });

  for (const [form, build] of [
    ['build.base', () => ({ base })],
    ['build.containerfile', () => ({ containerfile: 'Containerfile' })],
  ] as const) {
    it(`${form}: the same changeset gives the same digest twice; skopeo and podman run by digest agree`, async () => {
      const version = form === 'build.base' ? '1.0.0' : '2.0.0';
      const runs = [
        await deploy(await project(), version, build()),
        await deploy(await project(), version, build()),
      ];
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const [a, b] = runs.map(resultOf);
      assert.equal(a!.artifact.digest, b!.artifact.digest, 'reproducible');
      assert.deepEqual((await getJson(projects.at(-1)!.url())).body, { version });

      const ref = `${host}/team/shop:${a!.artifact.tag}`;
      const inspected = JSON.parse(
        (await runSkopeo(['inspect', '--tls-verify=false', `docker://${ref}`])).toString(),
      );
      const baseLayers = JSON.parse(
        (await runSkopeo(['inspect', '--tls-verify=false', `docker://${base}`])).toString(),
      ).Layers;
      assert.equal(inspected.Digest, a!.artifact.digest);
      assert.deepEqual(inspected.Layers.slice(0, baseLayers.length), baseLayers, "the base's layers first");
      assert.ok(inspected.Layers.length > baseLayers.length, "the app's layer on top");
      assert.equal(inspected.Labels['org.opencontainers.image.version'], version);
      assert.equal(inspected.Labels['org.opencontainers.image.revision'], '1234567890abcdef');
      assert.equal(inspected.Labels['org.opencontainers.image.created'], '1970-01-01T00:00:00Z');
      assert.equal(inspected.Labels['io.cutover.health-path'], '/health');

      // Started by hand, outside cutover: the artifact is all it takes.
      const byDigest = `${host}/team/shop@${a!.artifact.digest}`;
      await podman('pull', '--quiet', '--tls-verify=false', byDigest);
      const port = await freePort();
      const name = `cutover-test-${form.replace('.', '-')}-${randomBytes(3).toString('hex')}`;
      await runContainer(name, LABEL, byDigest, { PORT: String(port) });
      await waitUntil(
        async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined))?.ok === true,
        `${name} to serve`,
      );
      assert.deepEqual((await getJson(`http://127.0.0.1:${port}/`)).body, { version });
      await podman('rm', '--force', '--time', '0', name);
      await podman('rmi', '--force', byDigest);
    });
  }

  it('bad cases are one line naming the cause, exit 1, and nothing serves them', async () => {
    const p = await project();
    const missing = await deploy(p, '3.0.0', { base: `${host}/nodebase:nope` });
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(
      missing.stderr,
      new RegExp(
        `deploy failed at BUILD: base image ${host}/nodebase:nope not found: no nope in ${registry.url}/nodebase\\n`,
      ),
    );

    const failing = await deploy(
      p,
      '3.0.1',
      { containerfile: 'Containerfile' },
      'RUN ["node", "-e", "console.error(\'kaput\'); process.exit(3)"]',
    );
    assert.equal(failing.code, 1, failing.stderr);
    const failed = resultOf(failing);
    assert.equal(failed.failed_step, 'BUILD');
    assert.match(failed.reason, /^podman build of Containerfile exited with code \d+ in .*; last output:\n/);
    assert.match(failed.reason, /kaput/);
    assert.match(failing.stderr, /▸ BUILD\n {2}STEP 1\/\d+: FROM /, 'the build log streams under BUILD');

    // The deploy the CLI makes of it, with a PATH that has no podman on it.
    const deployArgs = ['--env', 'production', '--strategy', 'fast-track', '--output', 'json'];
    const noPodman = await p.cli(['deploy', '-c', join(p.dir, 'cs-3.0.1.yaml'), ...deployArgs], {
      PATH: '/nonexistent',
    });
    assert.equal(noPodman.code, 1, noPodman.stderr);
    assert.match(noPodman.stderr, /deploy failed at BUILD: podman not found; apt-get install podman runc\n/);
    const build = resultOf(noPodman).actions_log.find((e: { action: string }) => e.action === 'BUILD');
    assert.equal(build.code, 'E_RUNNER_UNAVAILABLE');
  });

  it('leaves no container and no build image behind', async () => {
    assert.deepEqual(await containersWith(LABEL), []);
    assert.deepEqual(await imagesUnder(`${host}/team/`), [], 'images run by hand were removed');
    assert.deepEqual(await imagesUnder('localhost/cutover-build/shop'), []);
  });
});
