import assert from 'node:assert/strict';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDirectoryBuilder } from '../../../src/adapters/builder/directory-image.js';
import { hashFile } from '../../../src/adapters/registry/layout/hashing-stream.js';
import { corruptBlob, makeChangeset, writeSourceTree } from '../../support/oci-images.js';
import { blobFile } from '../../support/oci-layer.js';
import { makeTempDir } from '../../support/tmp.js';

const tree = {
  'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(process.env.PORT);\n',
  'bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'lib/a.js': 'module.exports = 1;\n',
  'lib/b.js': 'module.exports = 2;\n',
  'lib/current': { symlink: 'a.js' },
};

async function build(
  baseDir: string,
  workDir = join(baseDir, 'builds'),
  tag = '2.4.0-abc1234-20250101',
): Promise<string> {
  const image = await createDirectoryBuilder().build({ changeset: makeChangeset(), baseDir, workDir, tag });
  return image.manifest.digest;
}

// Same input, same digest (mtimes, owners, env key order) and one changed byte are in the
// Builder contract (test/contract/builder); these are the directory builder's own promises.
describe('directory builder: reproducibility', () => {
  const tmp = makeTempDir('cutover-builder-');
  after(() => tmp.cleanup());

  it('changes the digest when only an exec bit changes', async () => {
    const base = join(tmp.dir, 'exec');
    await writeSourceTree(join(base, 'app'), tree);
    const before = await build(base);
    await chmod(join(base, 'app', 'lib', 'a.js'), 0o744);
    const executable = await build(base);
    assert.notEqual(executable, before);
    await chmod(join(base, 'app', 'lib', 'a.js'), 0o640);
    assert.equal(await build(base), before, 'modes other than the x bit are normalised away');
  });

  it('is a no-op when the same tag is rebuilt from the same files', async () => {
    const base = join(tmp.dir, 'idem');
    await writeSourceTree(join(base, 'app'), tree);
    const first = await build(base);
    const indexBefore = await readFile(join(base, 'builds', 'index.json'));
    const blobsBefore = await readdir(join(base, 'builds', 'blobs', 'sha256'));
    assert.equal(await build(base), first);
    assert.deepEqual(await readFile(join(base, 'builds', 'index.json')), indexBefore);
    assert.deepEqual(
      await readdir(join(base, 'builds', 'blobs', 'sha256')),
      blobsBefore,
      'no temp files or extra blobs',
    );
    assert.deepEqual((await readdir(join(base, 'builds'))).sort(), ['blobs', 'index.json', 'oci-layout']);
  });

  it('keeps one index entry per tag in a shared work dir', async () => {
    const base = join(tmp.dir, 'shared');
    await writeSourceTree(join(base, 'app'), tree);
    const workDir = join(base, 'builds');
    const a = await build(base, workDir, 'v1');
    await writeFile(join(base, 'app', 'lib', 'b.js'), 'changed\n');
    const b = await build(base, workDir, 'v2');
    const rebuilt = await build(base, workDir, 'v1');
    const index = JSON.parse(await readFile(join(workDir, 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string; annotations: Record<string, string> }>;
    };
    const tags = index.manifests.map((m) => [m.annotations['org.opencontainers.image.ref.name'], m.digest]);
    assert.notEqual(a, b);
    assert.equal(rebuilt, b, 'a build layout is scratch: a rebuilt tag names the latest build');
    assert.deepEqual(tags, [
      ['v1', b],
      ['v2', b],
    ]);
  });
  it('repairs a blob damaged on disk when the same files are built again', async () => {
    const base = join(tmp.dir, 'repair');
    await writeSourceTree(join(base, 'app'), tree);
    const image = await createDirectoryBuilder().build({
      changeset: makeChangeset(),
      baseDir: base,
      workDir: join(base, 'builds'),
      tag: 't',
    });
    for (const blob of [image.layers[0]!, image.config]) await corruptBlob(image.layoutDir, blob.digest);
    await build(base, join(base, 'builds'), 't');
    for (const blob of [image.layers[0]!, image.config, image.manifest]) {
      assert.equal((await hashFile(blobFile(image.layoutDir, blob.digest))).digest, blob.digest);
    }
  });
});
