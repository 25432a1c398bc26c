import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { CHUNKED, MiB, useRegistryBehindProxy } from '../../support/registry-behind-proxy.js';

/** Uploads through a proxy that cuts connections: they must resume, or start over, and succeed. */
describe(
  'oci-distribution uploads survive cut connections, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    // Random data does not compress: the layer is ~5 MiB, five chunks of 1 MiB.
    const world = useRegistryBehindProxy('cutover-resume-', {
      'big.bin': randomBytes(5 * MiB),
      'server.js': 'ok\n',
    });
    const { viaProxy } = world;
    const layerUploads = () =>
      world.proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('/blobs/uploads/')).length;

    it('uploads a multi-MiB blob in chunks when it is over the threshold', async () => {
      const pushed = await viaProxy(CHUNKED).push(world.image, 'chunked', world.image.tag);
      assert.equal(pushed.digest, world.image.manifest.digest);
      assert.ok(world.proxy.requests.filter((r) => r.method === 'PATCH').length >= 5, 'one PATCH per MiB');
      assert.equal(await world.direct.resolve('chunked', world.image.tag), world.image.manifest.digest);
      await world.direct.pull(
        { repository: 'chunked', tag: world.image.tag, digest: world.image.manifest.digest },
        `${world.tmpDir}/pulled-chunked`,
      );
    });

    it('resumes a chunked upload cut between chunks from where the registry says it is', async () => {
      // config blob first, then two whole chunks of the layer go through, the third is cut off.
      world.proxy.arm({ kind: 'cut-upload', afterBytes: world.image.config.size + 2 * MiB });
      const pushed = await viaProxy(CHUNKED).push(world.image, 'resumed', world.image.tag);
      assert.equal(pushed.digest, world.image.manifest.digest);
      assert.ok(
        world.proxy.requests.some((r) => r.fault === 'cut-upload'),
        'the connection was cut',
      );
      assert.ok(
        world.proxy.requests.some(
          (r) => r.method === 'GET' && r.path.includes('/blobs/uploads/') && r.status === 204,
        ),
        'asked for progress',
      );
      assert.equal(layerUploads(), 2, 'one upload for the config, one for the layer: resumed, not restarted');
      assert.equal(await world.direct.resolve('resumed', world.image.tag), world.image.manifest.digest);
    });

    it('starts over when the registry gave up an upload cut mid-chunk', async () => {
      world.proxy.arm({ kind: 'cut-upload', afterBytes: world.image.config.size + 2.5 * MiB });
      const pushed = await viaProxy(CHUNKED).push(world.image, 'restarted', world.image.tag);
      assert.equal(pushed.digest, world.image.manifest.digest);
      assert.ok(world.proxy.requests.some((r) => r.fault === 'cut-upload'));
      assert.equal(await world.direct.resolve('restarted', world.image.tag), world.image.manifest.digest);
      await world.direct.pull(
        { repository: 'restarted', tag: world.image.tag, digest: world.image.manifest.digest },
        `${world.tmpDir}/pulled-restarted`,
      );
    });

    it('retries a monolithic upload whose connection was cut', async () => {
      world.proxy.arm({ kind: 'cut-upload', afterBytes: world.image.config.size + MiB });
      const pushed = await viaProxy().push(world.image, 'monolithic-cut', world.image.tag);
      assert.equal(pushed.digest, world.image.manifest.digest);
      assert.ok(world.proxy.requests.some((r) => r.fault === 'cut-upload'));
      assert.equal(
        await world.direct.resolve('monolithic-cut', world.image.tag),
        world.image.manifest.digest,
      );
    });
  },
);
