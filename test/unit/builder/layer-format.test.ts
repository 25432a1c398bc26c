import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createGunzip } from 'node:zlib';
import { mapArchitecture } from '../../../src/adapters/builder/image-documents.js';
import {
  OCI_CONFIG_MEDIA_TYPE,
  OCI_LAYER_GZIP_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
} from '../../../src/ports/release.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { blobFile, readLayerEntries, readJsonBlob, type LayerEntry } from '../../support/oci-layer.js';
import { makeTempDir } from '../../support/tmp.js';

const big = randomBytes(3 * 1024 * 1024 + 17);

describe('directory builder: image format', () => {
  const tmp = makeTempDir('cutover-layer-');
  let image: TestImage;
  let entries: LayerEntry[];
  before(async () => {
    image = await buildTestImage(tmp.dir, {
      files: {
        'z.txt': 'last\n',
        'B.txt': 'upper case sorts first\n',
        'a/run.sh': { content: '#!/bin/sh\n', mode: 0o700 },
        'a/link': { symlink: 'run.sh' },
        'big.bin': big,
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.cutover/state.db': 'x',
        [`deep/${'n'.repeat(120)}.txt`]: 'long name\n',
      },
    });
    entries = await readLayerEntries(blobFile(image.layoutDir, image.layers[0]!.digest));
  });
  after(() => tmp.cleanup());

  it('writes the layer with a fixed gzip header: no name, mtime 0', async () => {
    const handle = await open(blobFile(image.layoutDir, image.layers[0]!.digest), 'r');
    const header = Buffer.alloc(10);
    await handle.read(header, 0, 10, 0);
    await handle.close();
    assert.deepEqual(
      [...header.subarray(0, 8)],
      [0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
      'magic, deflate, no FNAME flag, mtime 0',
    );
  });

  it('puts the tree under app/ in byte order, skipping .git and .cutover', () => {
    assert.deepEqual(
      entries.map((e) => e.header.name),
      [
        'app/',
        'app/B.txt',
        'app/a/',
        'app/a/link',
        'app/a/run.sh',
        'app/big.bin',
        'app/deep/',
        `app/deep/${'n'.repeat(120)}.txt`,
        'app/z.txt',
      ],
    );
  });

  it('normalises owners, times and modes and keeps relative symlinks', () => {
    for (const { header } of entries) {
      assert.equal(header.mtime.getTime(), 0, header.name);
      assert.equal(header.uid, 0, header.name);
      assert.equal(header.gid, 0, header.name);
      assert.equal(header.uname, '', header.name);
      assert.equal(header.gname, '', header.name);
    }
    const mode = (name: string) => entries.find((e) => e.header.name === name)!.header;
    assert.equal(mode('app/').mode, 0o755);
    assert.equal(mode('app/a/run.sh').mode, 0o755);
    assert.equal(mode('app/z.txt').mode, 0o644);
    assert.equal(mode('app/a/link').type, 'symlink');
    assert.equal(mode('app/a/link').linkname, 'run.sh');
  });

  it('streams file contents intact and records the uncompressed digest as diff_id', async () => {
    assert.deepEqual(entries.find((e) => e.header.name === 'app/big.bin')!.content, big);
    const config = await readJsonBlob<{ rootfs: { diff_ids: string[] } }>(
      image.layoutDir,
      image.config.digest,
    );
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(blobFile(image.layoutDir, image.layers[0]!.digest)).pipe(
      createGunzip(),
    ))
      hash.update(chunk as Buffer);
    assert.deepEqual(config.rootfs.diff_ids, [`sha256:${hash.digest('hex')}`]);
  });

  it('writes the config with a fixed key order and no created time', async () => {
    const text = await readFile(blobFile(image.layoutDir, image.config.digest), 'utf8');
    const config = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(config), ['architecture', 'os', 'config', 'rootfs']);
    assert.deepEqual(config.config, {
      Cmd: ['node', 'server.js'],
      Env: ['PORT_HINT=8080'],
      WorkingDir: '/app',
      Labels: {
        'io.cutover.health-path': '/health',
        'org.opencontainers.image.version': '1.0.0',
        'org.opencontainers.image.revision': 'abc1234f9e0d',
      },
    });
    assert.equal(config.architecture, mapArchitecture(process.arch));
    assert.equal(config.os, 'linux');
    assert.equal(image.config.mediaType, OCI_CONFIG_MEDIA_TYPE);
  });

  it('writes a schema 2 manifest naming the config and the layer', async () => {
    const bytes = await readFile(blobFile(image.layoutDir, image.manifest.digest));
    assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, image.manifest.digest);
    assert.equal(bytes.length, image.manifest.size);
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: image.config,
      layers: [
        {
          mediaType: OCI_LAYER_GZIP_MEDIA_TYPE,
          digest: image.layers[0]!.digest,
          size: image.layers[0]!.size,
        },
      ],
    });
  });

  it('maps Node architectures to OCI names', () => {
    assert.equal(mapArchitecture('x64'), 'amd64');
    assert.equal(mapArchitecture('arm64'), 'arm64');
  });
});
