import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import type { Changeset } from '../../../src/core/schema/changeset.js';
import type { BuildRequest, Builder } from '../../../src/ports/builder.js';
import type { BlobDescriptor } from '../../../src/ports/release.js';
import { makeChangeset, writeSourceTree, type TreeSpec } from '../../support/oci-images.js';
import { blobFile } from '../../support/oci-layer.js';
import { makeTempDir } from '../../support/tmp.js';
import { describeBuilderFailures } from './builder-failures.js';
import { describeBuilderReproducible } from './builder-reproducible.js';

export interface BuilderHarness {
  builder: Builder;
  cleanup(): Promise<void>;
}

export type BuilderFactory = () => Promise<BuilderHarness>;

/** What the tests of one suite share: the builder, and fresh directories to build in. */
export interface BuilderSuite {
  builder(): Builder;
  /** a fresh base dir holding `app/` with `files`, and a request building it as `changeset` says */
  project(files: TreeSpec, changeset?: Partial<Changeset>): Promise<BuildRequest>;
}

export const TREE: TreeSpec = {
  'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(process.env.PORT);\n',
  'bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'lib/a.js': 'module.exports = 1;\n',
  'lib/current': { symlink: 'a.js' },
};

/**
 * The behaviour every Builder must have (ports/builder.ts) — the directory builder, and the
 * base-image, Containerfile and build-command builders to come: the same input gives the same
 * digest whatever the mtimes, owners or work dir, and another input another digest; the image is
 * an OCI layout with the tag bound and every blob true to its digest; E_SOURCE_ESCAPE and
 * E_BUILD_FAILED leave no tag behind.
 *
 * @example describeBuilderContract('directory', async () => ({ builder: createDirectoryBuilder(), cleanup }));
 */
export function describeBuilderContract(name: string, factory: BuilderFactory): void {
  describe(`Builder contract: ${name}`, () => {
    const tmp = makeTempDir('cutover-builder-contract-');
    let harness: BuilderHarness | undefined;
    let serial = 0;
    before(async () => {
      harness = await factory();
    });
    after(async () => {
      await harness?.cleanup();
      tmp.cleanup();
    });
    const suite: BuilderSuite = {
      builder: () => harness!.builder,
      async project(files, changeset = {}) {
        const baseDir = join(tmp.dir, `project-${(serial += 1)}`);
        await writeSourceTree(join(baseDir, 'app'), files);
        return { changeset: makeChangeset(changeset), baseDir, workDir: join(baseDir, 'builds'), tag: 't1' };
      },
    };
    describeBuilderReproducible(suite);
    describeBuilderFailures(suite);
  });
}

/** The manifest digest of the image `index.json` binds `tag` to in `layoutDir`, if any. */
export async function boundDigest(layoutDir: string, tag: string): Promise<string | undefined> {
  const text = await readFile(join(layoutDir, 'index.json'), 'utf8').catch(() => '{"manifests":[]}');
  const index = JSON.parse(text) as {
    manifests: Array<{ digest: string; annotations?: Record<string, string> }>;
  };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag)?.digest;
}

/** The blob is in the layout, and hashes to its digest and size (hashed here, not by cutover). */
export async function assertBlob(layoutDir: string, blob: BlobDescriptor): Promise<void> {
  const bytes = await readFile(blobFile(layoutDir, blob.digest));
  assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, blob.digest);
  assert.equal(bytes.length, blob.size, `size of ${blob.digest}`);
}

/** Asserts a CutoverError with `code` whose message mentions each of `mentions`. */
export function expectError(code: string, ...mentions: string[]) {
  return (err: unknown) => {
    assert.ok(err instanceof CutoverError, String(err));
    assert.equal(err.code, code, err.message);
    for (const text of mentions) assert.ok(err.message.includes(text), `${err.message} mentions ${text}`);
    return true;
  };
}
