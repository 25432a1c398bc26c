import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { boundDigest, expectError, type BuilderSuite } from './builder-contract.js';

/** What a builder refuses, with which code, and that a refused build binds no tag. */
export function describeBuilderFailures(suite: BuilderSuite): void {
  it('a source outside the base dir is E_SOURCE_ESCAPE naming it; no tag is bound', async () => {
    const request = await suite.project({ 'x.js': '' }, { source: '../../etc' });
    await assert.rejects(suite.builder().build(request), expectError('E_SOURCE_ESCAPE', 'source ../../etc'));
    assert.equal(await boundDigest(request.workDir, request.tag), undefined);
  });

  it('a symlink leading out of the source is E_SOURCE_ESCAPE naming the link and its target', async () => {
    const request = await suite.project({ 'etc-passwd': { symlink: '/etc/passwd' } });
    await assert.rejects(
      suite.builder().build(request),
      expectError('E_SOURCE_ESCAPE', 'etc-passwd', '/etc/passwd'),
    );
    const outside = await suite.project({ 'x.js': '' }, { source: './outside' });
    await symlink('/tmp', join(outside.baseDir, 'outside'));
    await assert.rejects(suite.builder().build(outside), expectError('E_SOURCE_ESCAPE', 'source ./outside'));
    assert.equal(await boundDigest(request.workDir, request.tag), undefined);
  });

  it('a missing source is E_BUILD_FAILED naming it', async () => {
    const request = await suite.project({ 'x.js': '' }, { source: './nope' });
    await assert.rejects(
      suite.builder().build(request),
      expectError('E_BUILD_FAILED', './nope', 'does not exist'),
    );
    assert.equal(await boundDigest(request.workDir, request.tag), undefined);
  });

  it('a failing build command is E_BUILD_FAILED with its exit code and last output; no tag is bound', async () => {
    const request = await suite.project(
      { 'main.txt': 'hello\n' },
      { source: undefined, build: { command: 'echo "cannot compile" >&2; exit 3', output: './dist' } },
    );
    await assert.rejects(
      suite.builder().build(request),
      expectError('E_BUILD_FAILED', 'exited with code 3', 'cannot compile'),
    );
    assert.equal(await boundDigest(request.workDir, request.tag), undefined);
  });

  it("a build command's output is what is packaged, reproducibly", async () => {
    const build = { command: 'mkdir -p dist && cp app/main.txt dist/', output: './dist' };
    const request = await suite.project({ 'main.txt': 'hello\n' }, { source: undefined, build });
    const first = await suite.builder().build(request);
    const again = await suite.project({ 'main.txt': 'hello\n' }, { source: undefined, build });
    assert.equal((await suite.builder().build(again)).manifest.digest, first.manifest.digest);
    assert.equal(await boundDigest(first.layoutDir, request.tag), first.manifest.digest);
  });
}
