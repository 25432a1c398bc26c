import { chmod, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createDirectoryBuilder } from '../../src/adapters/builder/directory-image.js';
import type { Changeset } from '../../src/core/schema/changeset.js';
import type { LocalImage } from '../../src/ports/release.js';

/** A file's content, or `{content, mode}` for an executable, or `{symlink: target}`. */
export type TreeSpec = Record<
  string,
  string | Buffer | { content: string | Buffer; mode: number } | { symlink: string }
>;

export interface TestImageSpec {
  files: TreeSpec;
  version?: string;
  tag?: string;
  commit?: string;
  /** Where the layout is written; defaults to `<dir>/builds`. */
  workDir?: string;
  /** Subdirectory of `dir` holding the tree; defaults to `app`. */
  source?: string;
}

export interface TestImage extends LocalImage {
  tag: string;
  changeset: Changeset;
}

/** Writes a source tree under `root` from a `{ 'path/in/tree': content }` map. */
export async function writeSourceTree(root: string, files: TreeSpec): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, spec] of Object.entries(files)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    if (typeof spec === 'object' && 'symlink' in spec) {
      await symlink(spec.symlink, file);
    } else if (typeof spec === 'object' && 'mode' in spec) {
      await writeFile(file, spec.content);
      await chmod(file, spec.mode);
    } else {
      await writeFile(file, spec);
    }
  }
}

/** A valid changeset for tests; `overrides` replace whole fields. */
export function makeChangeset(overrides: Partial<Changeset> = {}): Changeset {
  return {
    id: '142',
    service: 'api-orders',
    version: '2.4.0',
    commit: 'abc1234f9e0d',
    source: './app',
    dod: [],
    feature_flag: 'ff-142-api-orders',
    run: { command: ['node', 'server.js'], health_path: '/health', env: { PORT_HINT: '8080' } },
    ...overrides,
  };
}

/**
 * Builds an image with the real directory builder from a small generated tree in `dir`.
 * @example const image = await buildTestImage(tmp, { files: { 'server.js': 'ok' }, version: '1.0.0' });
 */
export async function buildTestImage(dir: string, spec: TestImageSpec): Promise<TestImage> {
  const source = spec.source ?? 'app';
  await writeSourceTree(join(dir, source), spec.files);
  const version = spec.version ?? '1.0.0';
  const commit = spec.commit ?? 'abc1234f9e0d';
  const tag = spec.tag ?? `${version}-${commit.slice(0, 7)}-20250101`;
  const changeset = makeChangeset({ version, commit, source: `./${source}` });
  const image = await createDirectoryBuilder().build({
    changeset,
    baseDir: dir,
    workDir: spec.workDir ?? join(dir, 'builds'),
    tag,
  });
  return { ...image, tag, changeset };
}

/** Flips one byte in the middle of a blob, keeping its size, as silent disk corruption would. */
export async function corruptBlob(layoutDir: string, digest: string): Promise<void> {
  const file = join(layoutDir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}
