import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import { appendOnBase } from '../../support/appended-image.js';
import { blobFile } from '../../support/oci-layer.js';
import type { RegistrySuite } from './registry-contract.js';

const options = { platform: { os: 'linux', architecture: 'amd64' }, copyLayers: false };

/**
 * `readImage` and pushes of images built on a base (ports/registry.ts): the base's manifest and
 * config come to the client, its layers stay in the registry and reach the new repository
 * registry-side.
 */
export function describeBaseImages(suite: RegistrySuite): void {
  const registry = () => suite.registry();

  it('readImage of an unknown tag or repository is undefined', async () => {
    const { repository, image, dir } = await suite.fixture('read-unknown');
    await registry().push(image, repository, image.tag);
    assert.equal(await registry().readImage(repository, 'nope', join(dir, 'read'), options), undefined);
    assert.equal(
      await registry().readImage(`${repository}-none`, 'v1', join(dir, 'read'), options),
      undefined,
    );
  });

  it('readImage stores the manifest and config, by tag or digest, and leaves the layers remote', async () => {
    const { repository, image, dir } = await suite.fixture('read');
    await registry().push(image, repository, image.tag);
    for (const reference of [image.tag, image.manifest.digest]) {
      const layout = join(dir, `read-${reference.length}`);
      const read = await registry().readImage(repository, reference, layout, options);
      assert.equal(read?.manifest.digest, image.manifest.digest);
      assert.deepEqual(read.layers, image.layers);
      assert.deepEqual(read.remote, {
        location: registry().describe(repository),
        repository,
        digests: image.layers.map((l) => l.digest),
      });
      assert.deepEqual(
        await readFile(blobFile(layout, read.config.digest)),
        await readFile(blobFile(image.layoutDir, image.config.digest)),
      );
      await assert.rejects(access(blobFile(layout, image.layers[0]!.digest)), 'layers not copied');
    }
    const copied = await registry().readImage(repository, image.tag, join(dir, 'copied'), {
      ...options,
      copyLayers: true,
    });
    assert.equal(copied?.remote, undefined);
    await access(blobFile(join(dir, 'copied'), image.layers[0]!.digest));
  });

  it('pushes an image on a base from another repository without its layers, and pull gets them all', async () => {
    const base = await suite.fixture('base');
    await registry().push(base.image, base.repository, base.image.tag);
    const app = await suite.fixture('on-base', '2.0.0');
    const read = await registry().readImage(base.repository, base.image.tag, app.image.layoutDir, options);
    const image = await appendOnBase(read!, app.image);
    const pushed = await registry().push(image, app.repository, app.image.tag);
    assert.equal(pushed.digest, image.manifest.digest);
    // Mounted or copied registry-side: the base's layer never came to the client.
    await assert.rejects(access(blobFile(app.image.layoutDir, base.image.layers[0]!.digest)));
    const again = await registry().push(image, app.repository, app.image.tag);
    assert.equal(again.alreadyPresent, true);
    const layout = await registry().pull(
      { repository: app.repository, tag: app.image.tag, digest: image.manifest.digest },
      join(app.dir, 'cache'),
    );
    for (const layer of image.layers) await access(blobFile(layout, layer.digest));
  });

  it('refuses with E_PUSH_FAILED a base layer that lives in another registry, and binds no tag', async () => {
    const base = await suite.fixture('foreign-base');
    await registry().push(base.image, base.repository, base.image.tag);
    const app = await suite.fixture('on-foreign', '3.0.0');
    const read = await registry().readImage(base.repository, base.image.tag, app.image.layoutDir, options);
    const image = await appendOnBase(
      { ...read!, remote: { ...read!.remote!, location: 'https://elsewhere.example/x' } },
      app.image,
    );
    await assert.rejects(registry().push(image, app.repository, app.image.tag), (err: unknown) => {
      assert.ok(err instanceof CutoverError, String(err));
      assert.equal(err.code, 'E_PUSH_FAILED', err.message);
      assert.match(err.message, /elsewhere\.example/);
      return true;
    });
    assert.equal(await registry().resolve(app.repository, app.image.tag), undefined);
  });
}
