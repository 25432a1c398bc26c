import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import type { Registry } from '../../../src/ports/registry.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { blobFile } from '../../support/oci-layer.js';
import { runSkopeo } from '../../support/oci-skopeo.js';
import { makeTempDir } from '../../support/tmp.js';

/** skopeo is the independent client: what one writes, the other must read byte for byte. */
describe(
  'oci-distribution ⇄ skopeo, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry', 'skopeo') },
  () => {
    let server: RunningRegistry;
    let registry: Registry;
    let image: TestImage;
    const tmp = makeTempDir('cutover-interop-');

    before(async () => {
      server = await startDockerRegistry();
      registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: server.url, insecure: false, verify: 'full' },
        {},
      );
      image = await buildTestImage(tmp.dir, {
        files: { 'server.js': 'console.log("hi")\n', 'data.bin': randomBytes(256 * 1024) },
      });
    });
    after(async () => {
      await registry?.dispose?.();
      await server?.stop();
      tmp.cleanup();
    });

    it('pushes an image that skopeo copies out with byte-identical blobs and the same digest', async () => {
      const pushed = await registry.push(image, 'team/api-orders', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);

      const ref = `docker://127.0.0.1:${server.port}/team/api-orders:${image.tag}`;
      const inspected = JSON.parse((await runSkopeo(['inspect', '--tls-verify=false', ref])).toString()) as {
        Digest: string;
      };
      assert.equal(inspected.Digest, image.manifest.digest);

      const out = join(tmp.dir, 'copied');
      await runSkopeo(['copy', '--src-tls-verify=false', ref, `oci:${out}:${image.tag}`]);
      for (const blob of [image.manifest, image.config, ...image.layers]) {
        assert.deepEqual(
          await readFile(blobFile(out, blob.digest)),
          await readFile(blobFile(image.layoutDir, blob.digest)),
          `blob ${blob.digest}`,
        );
      }
    });

    it('resolves and pulls, verified, what skopeo pushed', async () => {
      const other = await buildTestImage(join(tmp.dir, 'other'), {
        files: { 'index.js': 'other\n' },
        version: '9.9.9',
      });
      await runSkopeo([
        'copy',
        '--dest-tls-verify=false',
        `oci:${other.layoutDir}:${other.tag}`,
        `docker://127.0.0.1:${server.port}/from-skopeo:${other.tag}`,
      ]);

      const digest = await registry.resolve('from-skopeo', other.tag);
      assert.equal(digest, other.manifest.digest);

      const cache = join(tmp.dir, 'cache');
      const layoutDir = await registry.pull(
        { repository: 'from-skopeo', tag: other.tag, digest: other.manifest.digest },
        cache,
      );
      const stored = (await readdir(join(layoutDir, 'blobs', 'sha256'))).sort();
      const expected = [other.manifest, other.config, ...other.layers]
        .map((b) => b.digest.slice('sha256:'.length))
        .sort();
      assert.deepEqual(stored, expected);
      const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; annotations: Record<string, string> }[];
      };
      assert.deepEqual(
        index.manifests.map((m) => [m.digest, m.annotations['org.opencontainers.image.ref.name']]),
        [[other.manifest.digest, other.tag]],
      );

      // What cutover pulled is a layout skopeo can read back.
      const inspected = JSON.parse(
        (await runSkopeo(['inspect', `oci:${layoutDir}:${other.tag}`])).toString(),
      ) as { Digest: string };
      assert.equal(inspected.Digest, other.manifest.digest);
    });

    it('answers undefined for a tag that does not exist', async () => {
      assert.equal(await registry.resolve('team/api-orders', 'no-such-tag'), undefined);
      assert.equal(await registry.resolve('no-such-repo', 'v1'), undefined);
    });

    it('describes the repository by URL', () => {
      assert.equal(registry.describe('api-orders'), `${server.url}/api-orders`);
    });
  },
);
