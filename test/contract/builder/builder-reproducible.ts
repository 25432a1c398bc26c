import assert from 'node:assert/strict';
import { chmod, chown, cp, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { readJsonBlob } from '../../support/oci-layer.js';
import { assertBlob, boundDigest, TREE, type BuilderSuite } from './builder-contract.js';

async function touchAll(dir: string, when: Date): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isSymbolicLink()) await utimes(join(entry.parentPath, entry.name), when, when);
  }
}

const run = (env: Record<string, string>) => ({
  command: ['node', 'server.js'],
  health_path: '/health',
  env,
});

/** Same input, same image; another input, another image; and what the image is. */
export function describeBuilderReproducible(suite: BuilderSuite): void {
  it('the same files and run spec give the same digest, whatever the mtimes, owners, work dir or env key order', async () => {
    const first = await suite.project(TREE, { run: run({ A: '1', B: '2' }) });
    const second = await suite.project({}, { run: run({ B: '2', A: '1' }) });
    await cp(join(first.baseDir, 'app'), join(second.baseDir, 'app'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    await touchAll(join(second.baseDir, 'app'), new Date('2031-07-04T13:37:00Z'));
    if (process.getuid?.() === 0) await chown(join(second.baseDir, 'app', 'server.js'), 4321, 4321);
    const a = await suite.builder().build(first);
    const b = await suite.builder().build({ ...second, tag: 'other-tag' });
    assert.equal(b.manifest.digest, a.manifest.digest);
  });

  it('building the same request twice returns the same image', async () => {
    const request = await suite.project(TREE);
    const first = await suite.builder().build(request);
    assert.deepEqual(await suite.builder().build(request), first);
  });

  it('one byte of one file, an exec bit, or the run spec changed: another digest', async () => {
    const request = await suite.project(TREE);
    const digest = async (r = request) => (await suite.builder().build(r)).manifest.digest;
    const before = await digest();
    await writeFile(join(request.baseDir, 'app', 'lib', 'a.js'), 'module.exports = 2;\n');
    const byte = await digest();
    await writeFile(join(request.baseDir, 'app', 'lib', 'a.js'), 'module.exports = 1;\n');
    await chmod(join(request.baseDir, 'app', 'lib', 'a.js'), 0o755);
    const exec = await digest();
    const spec = await digest({ ...request, changeset: { ...request.changeset, run: run({ A: '3' }) } });
    assert.equal(new Set([before, byte, exec, spec]).size, 4, JSON.stringify([before, byte, exec, spec]));
  });

  it('the image is an OCI layout: the tag bound to the manifest, which lists the config and layers, every blob true', async () => {
    const request = await suite.project(TREE);
    const image = await suite.builder().build(request);
    assert.equal(await boundDigest(image.layoutDir, request.tag), image.manifest.digest);
    for (const blob of [image.manifest, image.config, ...image.layers])
      await assertBlob(image.layoutDir, blob);
    const manifest = await readJsonBlob<{ config: { digest: string }; layers: Array<{ digest: string }> }>(
      image.layoutDir,
      image.manifest.digest,
    );
    assert.deepEqual(
      [manifest.config.digest, ...manifest.layers.map((l) => l.digest)],
      [image.config.digest, ...image.layers.map((l) => l.digest)],
    );
  });
}
