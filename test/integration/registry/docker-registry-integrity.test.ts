import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  createOciDistributionRegistry,
  type OciDistributionTuning,
} from '../../../src/adapters/registry/oci-distribution/index.js';
import { CutoverError } from '../../../src/core/errors.js';
import type { Registry } from '../../../src/ports/registry.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { isBlobUpload, startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

const MiB = 1024 * 1024;
const chunked: Partial<OciDistributionTuning> = { chunkThreshold: MiB, chunkSize: MiB };
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

/** Through a proxy that answers 500 and flips bytes: retried when worth it, never tagged when corrupt. */
describe(
  'oci-distribution retries and integrity, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    let server: RunningRegistry;
    let proxy: FaultProxy;
    let image: TestImage;
    let direct: Registry;
    const tmp = makeTempDir('cutover-integrity-');
    const open: Registry[] = [];
    const viaProxy = (tuning: Partial<OciDistributionTuning> = {}): Registry => {
      const registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: proxy.url, insecure: false, verify: 'digest' },
        {},
        { retry: fast, ...tuning },
      );
      open.push(registry);
      return registry;
    };

    before(async () => {
      server = await startDockerRegistry();
      proxy = await startFaultProxy(server.url);
      direct = createOciDistributionRegistry(
        { type: 'oci-distribution', url: server.url, insecure: false, verify: 'full' },
        {},
      );
      image = await buildTestImage(tmp.dir, {
        files: { 'big.bin': randomBytes(3 * MiB), 'server.js': 'ok\n' },
      });
    });
    beforeEach(() => {
      proxy.arm(undefined);
      proxy.requests.length = 0;
    });
    after(async () => {
      for (const registry of [...open, direct]) await registry?.dispose?.();
      await proxy?.close();
      await server?.stop();
      tmp.cleanup();
    });

    it('retries a manifest PUT answered with 500', async () => {
      proxy.arm({ kind: 'fail-manifest-put', times: 2 });
      const pushed = await viaProxy().push(image, 'manifest-500', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.equal(proxy.requests.filter((r) => r.fault === 'fail-manifest-put').length, 2);
      assert.equal(await direct.resolve('manifest-500', image.tag), image.manifest.digest);
    });

    it('gives up after the bounded retries, naming the registry error', async () => {
      proxy.arm({ kind: 'fail-manifest-put', times: 100 });
      const err = await viaProxy()
        .push(image, 'manifest-500-forever', image.tag)
        .catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(
        err.message,
        /^registry UNKNOWN: injected by the fault proxy \(pushing manifest-500-forever:.* at http:\/\/127\.0\.0\.1:\d+\/manifest-500-forever\)$/,
      );
      assert.equal(proxy.requests.filter((r) => r.fault === 'fail-manifest-put').length, fast.attempts);
      assert.equal(await direct.resolve('manifest-500-forever', image.tag), undefined);
    });

    for (const [name, tuning] of [
      ['monolithic', {}],
      ['chunked', chunked],
    ] as const) {
      it(`refuses a ${name} blob corrupted in flight and tags nothing`, async () => {
        proxy.arm({ kind: 'flip-byte', offset: 4096, match: isBlobUpload });
        const repository = `corrupted-${name}`;
        const err = await viaProxy(tuning)
          .push(image, repository, image.tag)
          .catch((e: unknown) => e);
        assert.ok(err instanceof CutoverError);
        assert.equal(err.code, 'E_DIGEST_MISMATCH');
        assert.match(err.message, /^registry DIGEST_INVALID: provided digest did not match uploaded content/);
        assert.ok(proxy.requests.some((r) => r.fault === 'flip-byte'));
        assert.equal(await direct.resolve(repository, image.tag), undefined);
      });
    }

    it('refuses a manifest corrupted in flight and tags nothing', async () => {
      // Byte 20 of the manifest JSON is inside `"mediaType"`: still JSON, another digest.
      proxy.arm({
        kind: 'flip-byte',
        offset: 20,
        match: (method, path) => method === 'PUT' && path.includes('/manifests/'),
      });
      const err = await viaProxy()
        .push(image, 'corrupted-manifest', image.tag)
        .catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError, String(err));
      assert.equal(err.code, 'E_DIGEST_MISMATCH', err.message);
      assert.ok(proxy.requests.some((r) => r.fault === 'flip-byte'));
      assert.equal(await direct.resolve('corrupted-manifest', image.tag), undefined);
    });
  },
);
