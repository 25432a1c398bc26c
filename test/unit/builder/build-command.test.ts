import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDirectoryBuilder } from '../../../src/adapters/builder/directory-image.js';
import { CutoverError } from '../../../src/core/errors.js';
import { makeChangeset, writeSourceTree, type TreeSpec } from '../../support/oci-images.js';
import { blobFile, readLayerEntries } from '../../support/oci-layer.js';
import { makeTempDir } from '../../support/tmp.js';

describe('directory builder: build.command', () => {
  const tmp = makeTempDir('cutover-buildcmd-');
  after(() => tmp.cleanup());

  /** Builds a tree (by default one source file) with a build command; `secrets` go to the builder. */
  async function buildWith(
    name: string,
    command: string,
    output = './dist',
    o: { files?: TreeSpec; secrets?: string[] } = {},
  ) {
    const base = join(tmp.dir, name);
    await writeSourceTree(base, o.files ?? { 'src/main.txt': 'hello\n' });
    const changeset = makeChangeset({ source: undefined, build: { command, output } });
    return {
      base,
      result: createDirectoryBuilder(o.secrets ? { secrets: o.secrets } : undefined).build({
        changeset,
        baseDir: base,
        workDir: join(base, '.cutover', 'builds'),
        tag: 't',
      }),
    };
  }

  it('runs the command in baseDir with sh -c and packages its output', async () => {
    const { result } = await buildWith(
      'ok',
      'mkdir -p dist && tr a-z A-Z < src/main.txt > dist/main.txt && echo built',
    );
    const image = await result;
    const entries = await readLayerEntries(blobFile(image.layoutDir, image.layers[0]!.digest));
    assert.deepEqual(
      entries.map((e) => [e.header.name, e.content.toString()]),
      [
        ['app/', ''],
        ['app/main.txt', 'HELLO\n'],
      ],
    );
  });

  it('fails with the exit code and the last lines of output', async () => {
    const { result } = await buildWith(
      'fail',
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do echo "line $i"; done; echo "boom" >&2; exit 3',
    );
    await assert.rejects(result, (err: unknown) => {
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_BUILD_FAILED');
      assert.match(err.message, /exited with code 3/);
      assert.match(err.message, /boom/);
      assert.equal(err.details.exitCode, 3);
      const output = err.details.output as string[];
      assert.equal(output.at(-1), 'boom');
      assert.ok(!output.includes('line 1'), 'only the last lines are kept');
      return true;
    });
  });

  it('never shows the end of a line the 64 KiB output window cut, where a secret may have been', async () => {
    const secret = 'npm_tok_5c0ffee5c0ffee';
    // The window (the last 64 KiB) starts 6 characters into the secret: shown, the rest of that
    // line would be "k_5c0ffee5c0ffee", which no redaction of the whole secret can match.
    const script = `const line = 'token=${secret}\\n';
const after = 65536 - (line.length - 'token='.length - 6);
const lines = Array.from({ length: 7 }, (_, i) => String(i).repeat(8999) + '\\n');
lines.push('7'.repeat(after - 7 * 9000 - 1) + '\\n');
process.stdout.write('starting\\n' + line + lines.join(''));`;
    const { result } = await buildWith('cut', 'node print.js; exit 1', './dist', {
      files: { 'print.js': script },
      secrets: [secret],
    });
    await assert.rejects(result, (err: unknown) => {
      assert.ok(err instanceof CutoverError && err.code === 'E_BUILD_FAILED', String(err));
      assert.ok(
        !err.message.includes(secret.slice(6)),
        `the cut line is shown: ${err.message.slice(0, 140)}`,
      );
      const output = err.details.output as string[];
      assert.deepEqual(
        output.map((l) => l.slice(0, 3)),
        ['000', '111', '222', '333', '444', '555', '666', '777'],
      );
      return true;
    });
  });

  it('says so when the last output line alone is longer than the window', async () => {
    const { result } = await buildWith('long', 'node print.js; exit 1', './dist', {
      files: { 'print.js': "process.stdout.write('x'.repeat(70000));" },
    });
    await assert.rejects(result, (err: unknown) => {
      assert.ok(err instanceof CutoverError && err.code === 'E_BUILD_FAILED', String(err));
      assert.match(
        err.message,
        /exited with code 1 in \S+; its last output line is longer than 64 KiB: not shown$/,
      );
      assert.deepEqual(err.details.output, []);
      return true;
    });
  });

  it('refuses an output outside baseDir before running the command', async () => {
    const { base, result } = await buildWith('escape', 'touch ran', '../../etc');
    await assert.rejects(
      result,
      (err: unknown) =>
        err instanceof CutoverError &&
        err.code === 'E_SOURCE_ESCAPE' &&
        err.message.includes('build.output ../../etc'),
    );
    await assert.rejects(access(join(base, 'ran')), 'the command never ran');
  });

  it('fails when the command succeeds but leaves no output directory', async () => {
    const { result } = await buildWith('nooutput', 'true');
    await assert.rejects(
      result,
      (err: unknown) =>
        err instanceof CutoverError &&
        err.code === 'E_BUILD_FAILED' &&
        err.message.includes('build.output ./dist'),
    );
  });
});
