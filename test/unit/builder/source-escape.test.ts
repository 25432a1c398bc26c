import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDirectoryBuilder } from '../../../src/adapters/builder/directory-image.js';
import { CutoverError } from '../../../src/core/errors.js';
import type { Changeset } from '../../../src/core/schema/changeset.js';
import { makeChangeset, writeSourceTree, type TreeSpec } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

// A source or an absolute symlink leading outside, and a missing source, are in the Builder
// contract (test/contract/builder); these are the directory builder's finer cases.
describe('directory builder: what it refuses', () => {
  const tmp = makeTempDir('cutover-escape-');
  after(() => tmp.cleanup());
  let n = 0;

  /** A fresh base dir holding `app/` with `files`, built with `changeset`. */
  async function buildTree(
    files: TreeSpec,
    changeset: Partial<Changeset> = {},
  ): Promise<{ base: string; run: () => Promise<unknown> }> {
    const base = join(tmp.dir, `case-${(n += 1)}`);
    await writeSourceTree(join(base, 'app'), files);
    const run = () =>
      createDirectoryBuilder().build({
        changeset: makeChangeset(changeset),
        baseDir: base,
        workDir: join(base, 'builds'),
        tag: 't',
      });
    return { base, run };
  }

  function expectError(code: string, ...mentions: string[]) {
    return (err: unknown) => {
      assert.ok(err instanceof CutoverError, String(err));
      assert.equal(err.code, code, err.message);
      for (const text of mentions)
        assert.ok(err.message.includes(text), `${JSON.stringify(err.message)} should mention ${text}`);
      return true;
    };
  }

  it('refuses a source that is a file', async () => {
    const file = await buildTree({ 'x.js': '' }, { source: './app/x.js' });
    await assert.rejects(file.run(), expectError('E_BUILD_FAILED', './app/x.js', 'not a directory'));
  });

  it('refuses a relative symlink that climbs out of the source', async () => {
    const { run } = await buildTree({ 'sub/up': { symlink: '../../secret' } });
    await assert.rejects(run(), expectError('E_SOURCE_ESCAPE', 'sub/up', '../../secret'));
  });

  it('refuses a link that only escapes through another link (d -> ., x -> d/..)', async () => {
    const { run } = await buildTree({ 'a/d': { symlink: '.' }, 'a/x': { symlink: 'd/../..' } });
    await assert.rejects(run(), expectError('E_SOURCE_ESCAPE', 'a/x'));
  });

  it('keeps relative symlinks that stay inside, even dangling or through other links', async () => {
    const { run } = await buildTree({
      'lib/a.js': '',
      cur: { symlink: 'lib/a.js' },
      'lib/up': { symlink: '../cur' },
      'lib/dangling': { symlink: 'gone/x' },
    });
    await run();
  });

  it('refuses a fifo, naming its path, and leaves no tag behind', async () => {
    const { base, run } = await buildTree({ 'ok.js': '' });
    await mkdir(join(base, 'app', 'run'), { recursive: true });
    execFileSync('mkfifo', [join(base, 'app', 'run', 'pipe')]);
    await assert.rejects(run(), expectError('E_BUILD_FAILED', join('run', 'pipe'), 'fifo'));
    const left = await readdir(join(base, 'builds'));
    assert.ok(!left.includes('index.json'), 'no index.json references a half-built image');
    assert.deepEqual(
      await readdir(join(base, 'builds', 'blobs', 'sha256')),
      [],
      'the partial layer was removed',
    );
  });
});
