import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { isBlobUpload } from '../../support/fault-proxy.js';
import { CHUNKED, FAST_RETRY, MiB, useRegistryBehindProxy } from '../../support/registry-behind-proxy.js';

/** Through a proxy that answers 500 and flips bytes: retried when worth it, never tagged when corrupt. */
describe(
  'oci-distribution retries and integrity, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    const world = useRegistryBehindProxy('cutover-integrity-', {
      'big.bin': randomBytes(3 * MiB),
      'server.js': 'ok\n',
    });
    const { viaProxy } = world;

    it('retries a manifest PUT answered with 500', async () => {
      world.proxy.arm({ kind: 'fail-manifest-put', times: 2 });
      const pushed = await viaProxy().push(world.image, 'manifest-500', world.image.tag);
      assert.equal(pushed.digest, world.image.manifest.digest);
      assert.equal(world.proxy.requests.filter((r) => r.fault === 'fail-manifest-put').length, 2);
      assert.equal(await world.direct.resolve('manifest-500', world.image.tag), world.image.manifest.digest);
    });

    it('gives up after the bounded retries, naming the registry error', async () => {
      world.proxy.arm({ kind: 'fail-manifest-put', times: 100 });
      const err = await viaProxy()
        .push(world.image, 'manifest-500-forever', world.image.tag)
        .catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(
        err.message,
        /^registry UNKNOWN: injected by the fault proxy \(pushing manifest-500-forever:.* at http:\/\/127\.0\.0\.1:\d+\/manifest-500-forever\)$/,
      );
      assert.equal(
        world.proxy.requests.filter((r) => r.fault === 'fail-manifest-put').length,
        FAST_RETRY.attempts,
      );
      assert.equal(await world.direct.resolve('manifest-500-forever', world.image.tag), undefined);
    });

    for (const [name, tuning] of [
      ['monolithic', {}],
      ['chunked', CHUNKED],
    ] as const) {
      it(`refuses a ${name} blob corrupted in flight and tags nothing`, async () => {
        world.proxy.arm({ kind: 'flip-byte', offset: 4096, match: isBlobUpload });
        const repository = `corrupted-${name}`;
        const err = await viaProxy(tuning)
          .push(world.image, repository, world.image.tag)
          .catch((e: unknown) => e);
        assert.ok(err instanceof CutoverError);
        assert.equal(err.code, 'E_DIGEST_MISMATCH');
        assert.match(err.message, /^registry DIGEST_INVALID: provided digest did not match uploaded content/);
        assert.ok(world.proxy.requests.some((r) => r.fault === 'flip-byte'));
        assert.equal(await world.direct.resolve(repository, world.image.tag), undefined);
      });
    }

    it('refuses a manifest corrupted in flight and tags nothing', async () => {
      // Byte 20 of the manifest JSON is inside `"mediaType"`: still JSON, another digest.
      world.proxy.arm({
        kind: 'flip-byte',
        offset: 20,
        match: (method, path) => method === 'PUT' && path.includes('/manifests/'),
      });
      const err = await viaProxy()
        .push(world.image, 'corrupted-manifest', world.image.tag)
        .catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError, String(err));
      assert.equal(err.code, 'E_DIGEST_MISMATCH', err.message);
      assert.ok(world.proxy.requests.some((r) => r.fault === 'flip-byte'));
      assert.equal(await world.direct.resolve('corrupted-manifest', world.image.tag), undefined);
    });
  },
);
