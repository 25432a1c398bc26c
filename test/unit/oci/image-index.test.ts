import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectPlatformManifest } from '../../../src/adapters/registry/image-index.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const index = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'm',
        digest: digest('a'),
        size: 1,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
      { mediaType: 'm', digest: digest('b'), size: 2, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  }),
);
const amd64 = { os: 'linux', architecture: 'amd64' };

test('an image manifest is not an index: nothing to select', () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
  assert.equal(selectPlatformManifest(manifest, '', amd64, 'r'), undefined);
});

test("an index gives the platform's manifest, a variant matching when both name one", () => {
  assert.equal(selectPlatformManifest(index, '', amd64, 'r')?.digest, digest('b'));
  assert.equal(
    selectPlatformManifest(index, '', { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'r')?.digest,
    digest('a'),
  );
});

test('an index without the platform is E_BUILD_FAILED naming what it has', () => {
  assert.throws(
    () => selectPlatformManifest(index, '', { os: 'linux', architecture: 's390x' }, 'reg/base:1'),
    {
      code: 'E_BUILD_FAILED',
      message: 'reg/base:1 has no image for linux/s390x (it has: linux/arm64/v8, linux/amd64)',
    },
  );
});

test('bytes that are not JSON are E_BUILD_FAILED', () => {
  assert.throws(() => selectPlatformManifest(Buffer.from('<html>'), '', amd64, 'r'), {
    code: 'E_BUILD_FAILED',
  });
});
