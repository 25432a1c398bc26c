import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChangesetBuilder } from '../../../src/adapters/builder/changeset-builder.js';
import type { BuildRegistries } from '../../../src/adapters/builder/base-source.js';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { createOciLayoutRegistry } from '../../../src/adapters/registry/oci-layout.js';
import type { RegistryConfig } from '../../../src/core/schema/config.js';
import type { Registry } from '../../../src/ports/registry.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { buildTestImage, makeChangeset, writeSourceTree, type TestImage } from '../../support/oci-images.js';
import { blobFile, readJsonBlob, readLayerEntries } from '../../support/oci-layer.js';
import { runSkopeo } from '../../support/oci-skopeo.js';
import { makeTempDir } from '../../support/tmp.js';

const open = (url: string): Registry =>
  createOciDistributionRegistry({ type: 'oci-distribution', url, insecure: false, verify: 'digest' }, {});

/** `build: { base }` against real registries: the environment's own, another host, a layout. */
describe('build on a base image', { skip: skipUnlessInstalled('docker-registry', 'skopeo') }, () => {
  const tmp = makeTempDir('cutover-base-build-');
  let own: RunningRegistry;
  let other: RunningRegistry;
  let ownRegistry: Registry;
  let base: TestImage;
  let serial = 0;
  const config = (): RegistryConfig => ({
    type: 'oci-distribution',
    url: own.url,
    insecure: false,
    verify: 'digest',
  });
  // Another host is asked over HTTPS in the product; the test's second registry speaks HTTP.
  const registries = (env: { registry: Registry; config: RegistryConfig }): BuildRegistries => ({
    environment: () => env,
    other: (host) => open(`http://${host}`),
  });

  before(async () => {
    [own, other] = await Promise.all([startDockerRegistry(), startDockerRegistry()]);
    ownRegistry = open(own.url);
    base = await buildTestImage(join(tmp.dir, 'base'), {
      files: { 'bin/tool': { content: '#!/bin/sh\n', mode: 0o755 } },
    });
    await ownRegistry.push(base, 'library/tiny', '1');
    const second = open(other.url);
    await second.push(base, 'library/tiny', '1');
    await second.dispose?.();
  });
  after(async () => {
    await ownRegistry?.dispose?.();
    await Promise.all([own?.stop(), other?.stop()]);
    tmp.cleanup();
  });

  async function build(baseRef: string, env = { registry: ownRegistry, config: config() }, workdir?: string) {
    const dir = join(tmp.dir, `app-${(serial += 1)}`);
    await writeSourceTree(join(dir, 'app'), { 'server.js': 'console.log("app")\n' });
    const changeset = makeChangeset({ build: { base: baseRef, ...(workdir ? { workdir } : {}) } });
    return createChangesetBuilder({ registries: registries(env) }).build({
      changeset,
      baseDir: dir,
      workDir: join(dir, 'builds'),
      tag: 't1',
      environment: 'production',
    });
  }

  it("gives the same digest twice, the base's layers under the app's, mounted at push", async () => {
    const ref = `${new URL(own.url).host}/library/tiny:1`;
    const [a, b] = [await build(ref), await build(ref)];
    assert.equal(a.manifest.digest, b.manifest.digest);
    assert.deepEqual(a.layers.slice(0, -1), base.layers);
    assert.deepEqual(a.remote?.repository, 'library/tiny');
    await assert.rejects(access(blobFile(a.layoutDir, base.layers[0]!.digest)), 'base layer not fetched');
    await ownRegistry.push(a, 'team/app', 't1');
    await assert.rejects(
      access(blobFile(a.layoutDir, base.layers[0]!.digest)),
      'base layer mounted, not sent',
    );
    const host = new URL(own.url).host;
    const inspected = JSON.parse(
      (await runSkopeo(['inspect', '--tls-verify=false', `docker://${host}/team/app:t1`])).toString(),
    );
    assert.equal(inspected.Digest, a.manifest.digest);
    assert.deepEqual(
      inspected.Layers,
      a.layers.map((l) => l.digest),
    );
    assert.equal(inspected.Labels['org.opencontainers.image.base.name'], ref);
    assert.equal(inspected.Labels['org.opencontainers.image.revision'], 'abc1234f9e0d');
  });

  it('copies the layers of a base on another host into the build, and puts the app at workdir', async () => {
    const image = await build(`${new URL(other.url).host}/library/tiny:1`, undefined, '/srv/app');
    assert.equal(image.remote, undefined);
    await access(blobFile(image.layoutDir, base.layers[0]!.digest));
    const names = (await readLayerEntries(blobFile(image.layoutDir, image.layers.at(-1)!.digest))).map(
      (e) => e.header.name,
    );
    assert.deepEqual(names, ['srv/', 'srv/app/', 'srv/app/server.js']);
    const conf = await readJsonBlob<any>(image.layoutDir, image.config.digest);
    assert.equal(conf.config.WorkingDir, '/srv/app');
  });

  it("reads a base without a host from the environment's oci-layout registry", async () => {
    const layout = createOciLayoutRegistry({ rootDir: join(tmp.dir, 'layout-registry') });
    await layout.push(base, 'tiny', '1');
    const image = await build('tiny:1', { registry: layout, config: { type: 'oci-layout' } });
    assert.equal(image.remote?.location, layout.describe('tiny'));
    const pushed = await layout.push(image, 'app', 't1');
    assert.equal(pushed.digest, image.manifest.digest);
  });

  it('a base that is not there is E_BUILD_FAILED naming where it was looked for', async () => {
    await assert.rejects(build(`${new URL(own.url).host}/library/tiny:2`), (err: any) => {
      assert.equal(err.code, 'E_BUILD_FAILED');
      assert.equal(
        err.message,
        `base image ${new URL(own.url).host}/library/tiny:2 not found: no 2 in ${own.url}/library/tiny`,
      );
      return true;
    });
  });
});
