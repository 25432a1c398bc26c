import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOciLayoutRegistry } from '../../../src/adapters/registry/oci-layout.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { runSkopeo, skipUnlessSkopeo } from '../../support/oci-skopeo.js';
import { makeTempDir } from '../../support/tmp.js';

const skip = skipUnlessSkopeo();

/** skopeo, an independent OCI implementation, reads what the embedded registry wrote. */
describe('oci-layout registry, read by skopeo', { skip }, () => {
  const tmp = makeTempDir('cutover-skopeo-');
  const rootDir = join(tmp.dir, 'registry');
  const repoDir = join(rootDir, 'team', 'api-orders');
  let image: TestImage;
  let pushedDigest: string;

  before(async () => {
    image = await buildTestImage(join(tmp.dir, 'src'), {
      files: {
        'server.js': 'console.log("hi")\n',
        'bin/run': { content: '#!/bin/sh\n', mode: 0o755 },
        'lib/link': { symlink: '../server.js' },
      },
      version: '2.4.0',
      tag: '2.4.0-abc1234-20250101',
    });
    pushedDigest = (await createOciLayoutRegistry({ rootDir }).push(image, 'team/api-orders', image.tag))
      .digest;
  });
  after(() => tmp.cleanup());

  it('serves manifest bytes that hash to the digest push returned', async () => {
    const raw = await runSkopeo(['inspect', '--raw', `oci:${repoDir}:${image.tag}`]);
    assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, pushedDigest);
    assert.equal(pushedDigest, image.manifest.digest);
  });

  it('reports the config the builder wrote', async () => {
    const info = JSON.parse(
      (await runSkopeo(['inspect', `oci:${repoDir}:${image.tag}`])).toString('utf8'),
    ) as Record<string, unknown>;
    assert.equal(info.Digest, pushedDigest);
    assert.equal(info.Os, 'linux');
    assert.deepEqual(info.Layers, [image.layers[0]!.digest]);
    assert.equal((info.Labels as Record<string, string>)['org.opencontainers.image.version'], '2.4.0');
  });

  it('copies the image to another layout blob for blob, so the layout is valid', async () => {
    const other = join(tmp.dir, 'copy');
    await runSkopeo(['copy', `oci:${repoDir}:${image.tag}`, `oci:${other}:${image.tag}`]);
    const blobs = (dir: string) => readdir(join(dir, 'blobs', 'sha256')).then((names) => names.sort());
    const expected = [image.manifest, image.config, ...image.layers]
      .map((b) => b.digest.slice('sha256:'.length))
      .sort();
    assert.deepEqual(await blobs(other), expected);
    assert.deepEqual(await blobs(repoDir), expected);
    for (const hex of expected) {
      assert.deepEqual(
        await readFile(join(other, 'blobs', 'sha256', hex)),
        await readFile(join(repoDir, 'blobs', 'sha256', hex)),
        `blob ${hex}`,
      );
    }
    const raw = await runSkopeo(['inspect', '--raw', `oci:${other}:${image.tag}`]);
    assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, pushedDigest);
  });
});
