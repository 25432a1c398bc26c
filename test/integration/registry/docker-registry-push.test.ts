import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { CutoverError } from '../../../src/core/errors.js';
import type { Registry } from '../../../src/ports/registry.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

/** Flips a byte of a blob inside the registry's own storage, as a failing disk would. */
async function corruptStoredBlob(server: RunningRegistry, digest: string): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const handle = await open(
    join(server.dir, 'data/docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'),
    'r+',
  );
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, 10);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, 10);
  } finally {
    await handle.close();
  }
}

describe(
  'oci-distribution push semantics, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    let server: RunningRegistry;
    let proxy: FaultProxy;
    let registry: Registry;
    let v1: TestImage;
    let v2: TestImage;
    const tmp = makeTempDir('cutover-push-');

    before(async () => {
      server = await startDockerRegistry();
      // The proxy only watches here: it shows which requests were made.
      proxy = await startFaultProxy(server.url);
      registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: proxy.url, insecure: false, verify: 'full' },
        {},
      );
      v1 = await buildTestImage(join(tmp.dir, 'v1'), { files: { 'server.js': 'v1\n' }, version: '1.0.0' });
      v2 = await buildTestImage(join(tmp.dir, 'v2'), { files: { 'server.js': 'v2\n' }, version: '2.0.0' });
    });
    beforeEach(() => {
      proxy.requests.length = 0;
    });
    after(async () => {
      await registry?.dispose?.();
      await proxy?.close();
      await server?.stop();
      tmp.cleanup();
    });

    it('pushes again idempotently: nothing is written the second time', async () => {
      const first = await registry.push(v1, 'idempotent', 'stable');
      assert.deepEqual(first, { digest: v1.manifest.digest, alreadyPresent: false });
      proxy.requests.length = 0;
      const again = await registry.push(v1, 'idempotent', 'stable');
      assert.deepEqual(again, { digest: v1.manifest.digest, alreadyPresent: true });
      assert.deepEqual(
        proxy.requests.filter((r) => !['GET', 'HEAD'].includes(r.method)),
        [],
      );
    });

    it('refuses to rebind a tag to another digest, writing nothing', async () => {
      await registry.push(v1, 'immutable', 'release');
      proxy.requests.length = 0;
      const err = await registry.push(v2, 'immutable', 'release').catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_TAG_IMMUTABLE');
      assert.equal(
        err.message,
        `tag immutable:release at ${proxy.url} is already bound to ${v1.manifest.digest}; refusing to rebind it to ${v2.manifest.digest} (tags are immutable)`,
      );
      assert.deepEqual(
        proxy.requests.filter((r) => !['GET', 'HEAD'].includes(r.method)),
        [],
      );
      assert.equal(await registry.resolve('immutable', 'release'), v1.manifest.digest);
    });

    it('mounts blobs from a repository it pushed them to instead of uploading them again', async () => {
      await registry.push(v1, 'mount-source', 'one');
      proxy.requests.length = 0;
      await registry.push(v1, 'mount-target', 'one');
      const mounts = proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mount=sha256'));
      assert.equal(mounts.length, 2, 'config and layer');
      assert.ok(mounts.every((r) => r.status === 201 && r.path.includes('from=mount-source')));
      assert.equal(
        proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/')).length,
        0,
      );
    });

    it('with verify: full, notices a blob the registry no longer serves intact', async () => {
      await registry.push(v2, 'rotted', 'one');
      await corruptStoredBlob(server, v2.layers[0]!.digest);
      const err = await registry.push(v2, 'rotted', 'one').catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_DIGEST_MISMATCH');
      assert.match(
        err.message,
        /serves \d+ bytes hashing to sha256:[0-9a-f]{12} for blob sha256:[0-9a-f]{12}$/,
      );
    });

    it('pull refuses a blob that does not hash to its digest and keeps nothing of it', async () => {
      const cache = join(tmp.dir, 'cache-rotted');
      const err = await registry
        .pull({ repository: 'rotted', tag: 'one', digest: v2.manifest.digest }, cache)
        .catch((e: unknown) => e);
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_DIGEST_MISMATCH');
      const kept = await import('node:fs/promises').then((fs) => fs.readdir(join(cache, 'blobs', 'sha256')));
      assert.ok(!kept.includes(v2.layers[0]!.digest.slice('sha256:'.length)));
      assert.ok(!kept.includes(v2.manifest.digest.slice('sha256:'.length)), 'no manifest without its blobs');
    });

    it('refuses invalid repository names and tags before any request', async () => {
      await assert.rejects(registry.push(v1, 'Upper/Case', 'one'), { code: 'E_INVALID_INPUT' });
      await assert.rejects(registry.push(v1, 'ok', '2.4.0+build'), { code: 'E_TAG_INVALID' });
      assert.deepEqual(proxy.requests, []);
    });
  },
);
