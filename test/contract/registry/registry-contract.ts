import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import type { Registry } from '../../../src/ports/registry.js';
import { buildTestImage, corruptBlob, type TestImage } from '../../support/oci-images.js';
import { blobFile } from '../../support/oci-layer.js';
import { makeTempDir } from '../../support/tmp.js';
import { describeBaseImages } from './registry-base-images.js';

export type RegistryFactory = () => Promise<{ registry: Registry; cleanup(): Promise<void> }>;

/** What the tests of one suite share: the registry once it exists, and fresh fixtures. */
export interface RegistrySuite {
  registry(): Registry;
  fixture(label: string, version?: string): Promise<{ repository: string; image: TestImage; dir: string }>;
}

interface Descriptor {
  digest: string;
  size: number;
}

/**
 * The behaviour every Registry adapter must have, run against a real instance from `factory`
 * (called once for the suite; each test uses its own repository, so one server can serve all).
 *
 * @example describeRegistryContract('oci-layout', async () => ({ registry: createOciLayoutRegistry({ rootDir }), cleanup }));
 */
export function describeRegistryContract(name: string, factory: RegistryFactory): void {
  describe(`Registry contract: ${name}`, () => {
    const tmp = makeTempDir('cutover-registry-contract-');
    let registry: Registry;
    let cleanup: () => Promise<void> = async () => undefined;
    let serial = 0;
    const suffix = Math.random().toString(36).slice(2, 8);

    before(async () => {
      ({ registry, cleanup } = await factory());
    });
    after(async () => {
      await cleanup();
      tmp.cleanup();
    });

    /** A fresh repository name and an image built from a tree unique to this test. */
    async function fixture(
      label: string,
      version = '1.0.0',
    ): Promise<{ repository: string; image: TestImage; dir: string }> {
      const dir = join(tmp.dir, `${label}-${(serial += 1)}`);
      await mkdir(dir, { recursive: true });
      const image = await buildTestImage(dir, {
        version,
        files: {
          'server.js': `// ${label} ${version} ${suffix}\n`,
          'bin/start': { content: '#!/bin/sh\n', mode: 0o755 },
        },
      });
      return { repository: `contract/${label}-${suffix}`, image, dir };
    }

    describeBaseImages({ registry: () => registry, fixture });

    it('push then resolve gives the pushed digest', async () => {
      const { repository, image } = await fixture('push');
      const pushed = await registry.push(image, repository, image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.equal(await registry.resolve(repository, image.tag), image.manifest.digest);
    });

    it('pushing the same image to the same tag again is idempotent', async () => {
      const { repository, image } = await fixture('idempotent');
      const first = await registry.push(image, repository, image.tag);
      const second = await registry.push(image, repository, image.tag);
      assert.equal(first.alreadyPresent, false);
      assert.equal(second.digest, first.digest);
      assert.equal(second.alreadyPresent, true);
      assert.equal(await registry.resolve(repository, image.tag), image.manifest.digest);
    });

    it('refuses another image on a bound tag with E_TAG_IMMUTABLE and keeps the first digest', async () => {
      const { repository, image } = await fixture('immutable');
      const other = await fixture('immutable-other', '9.9.9');
      await registry.push(image, repository, image.tag);
      await assert.rejects(registry.push(other.image, repository, image.tag), (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_TAG_IMMUTABLE', err.message);
        assert.ok(err.message.includes(image.tag), `${err.message} names the tag`);
        assert.ok(
          err.message.includes(image.manifest.digest) && err.message.includes(other.image.manifest.digest),
          `${err.message} names both digests`,
        );
        return true;
      });
      assert.equal(await registry.resolve(repository, image.tag), image.manifest.digest);
    });

    it('resolves an unknown tag, or an unknown repository, to undefined', async () => {
      const { repository, image } = await fixture('unknown');
      await registry.push(image, repository, image.tag);
      assert.equal(await registry.resolve(repository, 'no-such-tag'), undefined);
      assert.equal(await registry.resolve(`contract/never-pushed-${suffix}`, image.tag), undefined);
    });

    it('pull returns a layout whose index, manifest and blobs hash to their digests', async () => {
      const { repository, image, dir } = await fixture('pull');
      await registry.push(image, repository, image.tag);
      const layout = await registry.pull(
        { repository, tag: image.tag, digest: image.manifest.digest },
        join(dir, 'cache'),
      );
      const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
        manifests: Descriptor[];
      };
      assert.ok(
        index.manifests.some((m) => m.digest === image.manifest.digest),
        'index.json lists the manifest',
      );
      await assertBlob(layout, image.manifest);
      const manifest = JSON.parse(await readFile(blobFile(layout, image.manifest.digest), 'utf8')) as {
        config: Descriptor;
        layers: Descriptor[];
      };
      assert.deepEqual(
        [manifest.config.digest, ...manifest.layers.map((l) => l.digest)],
        [image.config.digest, ...image.layers.map((l) => l.digest)],
      );
      for (const blob of [manifest.config, ...manifest.layers]) await assertBlob(layout, blob);
    });

    it('refuses a source image with a corrupted layer with E_DIGEST_MISMATCH and binds no tag', async () => {
      const { repository, image } = await fixture('corrupt');
      await corruptBlob(image.layoutDir, image.layers[0]!.digest);
      await assert.rejects(registry.push(image, repository, image.tag), (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_DIGEST_MISMATCH', err.message);
        return true;
      });
      assert.equal(await registry.resolve(repository, image.tag), undefined);
    });
  });
}

/** Hashes the stored blob independently of any cutover code. */
async function assertBlob(layoutDir: string, blob: Descriptor): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(blobFile(layoutDir, blob.digest))) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  assert.equal(`sha256:${hash.digest('hex')}`, blob.digest);
  assert.equal(size, blob.size, `size of ${blob.digest}`);
}
