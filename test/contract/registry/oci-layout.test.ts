import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createOciLayoutRegistry } from '../../../src/adapters/registry/oci-layout.js';
import { CutoverError } from '../../../src/core/errors.js';
import { buildTestImage, corruptBlob } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';
import { describeRegistryContract } from './registry-contract.js';

describeRegistryContract('oci-layout', async () => {
  const rootDir = await mkdtemp(join(tmpdir(), 'cutover-oci-layout-'));
  return {
    registry: createOciLayoutRegistry({ rootDir }),
    cleanup: () => rm(rootDir, { recursive: true, force: true }),
  };
});

describe('oci-layout registry specifics', () => {
  const tmp = makeTempDir('cutover-oci-layout-extra-');
  after(() => tmp.cleanup());
  const registryIn = (name: string) => createOciLayoutRegistry({ rootDir: join(tmp.dir, name, 'registry') });

  it('describes a repository by its layout directory', () => {
    assert.equal(
      createOciLayoutRegistry({ rootDir: '/srv/reg' }).describe('api-orders'),
      'oci-layout:/srv/reg/api-orders',
    );
  });

  it('lets exactly one of two concurrent pushes of different images bind a tag', async () => {
    const a = await buildTestImage(join(tmp.dir, 'race-a'), { files: { 'a.js': 'a' }, tag: 'v1' });
    const b = await buildTestImage(join(tmp.dir, 'race-b'), { files: { 'b.js': 'b' }, tag: 'v1' });
    const registry = registryIn('race');
    const results = await Promise.allSettled([registry.push(a, 'svc', 'v1'), registry.push(b, 'svc', 'v1')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal((lost[0]!.reason as CutoverError).code, 'E_TAG_IMMUTABLE');
    assert.equal(
      await registry.resolve('svc', 'v1'),
      (won[0] as PromiseFulfilledResult<{ digest: string }>).value.digest,
    );
  });

  it('keeps every tag when many different tags are pushed at once', async () => {
    const registry = registryIn('many');
    const images = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        buildTestImage(join(tmp.dir, `many-${i}`), { files: { 'i.js': String(i) }, tag: `v${i}` }),
      ),
    );
    await Promise.all(images.map((image) => registry.push(image, 'svc', image.tag)));
    for (const image of images) assert.equal(await registry.resolve('svc', image.tag), image.manifest.digest);
  });

  it('takes over a lock left by a crashed pusher: at once if its process is gone, else once stale', async () => {
    const image = await buildTestImage(join(tmp.dir, 'stale'), { files: { 'a.js': 'a' }, tag: 'v1' });
    const registry = registryIn('stale');
    const repoDir = join(tmp.dir, 'stale', 'registry', 'svc');
    await mkdir(repoDir, { recursive: true });
    const lock = join(repoDir, 'index.json.lock');
    await writeFile(lock, `${hostname()} ${spawnSync('true').pid} token`);
    await registry.push(image, 'svc', 'v1');
    await writeFile(lock, 'another-host 1 token');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await registry.push(image, 'svc', 'v2');
    assert.equal(await registry.resolve('svc', 'v1'), image.manifest.digest);
    assert.equal(await registry.resolve('svc', 'v2'), image.manifest.digest);
    assert.ok(!(await readdir(repoDir)).some((f) => f.startsWith('index.json.lock')), 'lock removed');
  });

  it('pull refuses a blob altered in the registry after the push', async () => {
    const image = await buildTestImage(join(tmp.dir, 'rot'), {
      files: { 'a.js': 'a'.repeat(1000) },
      tag: 'v1',
    });
    const registry = registryIn('rot');
    await registry.push(image, 'svc', 'v1');
    await corruptBlob(join(tmp.dir, 'rot', 'registry', 'svc'), image.layers[0]!.digest);
    await assert.rejects(
      registry.pull({ repository: 'svc', tag: 'v1', digest: image.manifest.digest }, tmp.dir),
      (err: unknown) => (err as CutoverError).code === 'E_DIGEST_MISMATCH',
    );
  });

  it('refuses repository names that could leave the root', async () => {
    const image = await buildTestImage(join(tmp.dir, 'names'), { files: { 'a.js': 'a' }, tag: 'v1' });
    const registry = registryIn('names');
    await assert.rejects(
      registry.push(image, '../escape', 'v1'),
      (err: unknown) => (err as CutoverError).code === 'E_PUSH_FAILED',
    );
    await assert.rejects(
      registry.resolve('/abs', 'v1'),
      (err: unknown) => (err as CutoverError).code === 'E_INVALID_INPUT',
    );
  });
});
