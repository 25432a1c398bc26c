import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { compareBytes } from '../registry/layout/index-json.js';
import { isLinkInside } from './resolve-link.js';

/** One thing to put in the layer; `path` is relative to the source root, `/`-separated. */
export type TreeEntry =
  | { kind: 'directory'; path: string }
  | { kind: 'file'; path: string; absPath: string; size: number; executable: boolean }
  | { kind: 'symlink'; path: string; target: string };

/** Never part of an app: VCS metadata and cutover's own state (builds, registry, journal). */
const SKIPPED = new Set(['.git', '.cutover']);

/**
 * The tree under `root` depth-first, each directory's names in byte order, so that the same
 * files always make the same tar. Symlinks are not followed; one that leads outside `root` is
 * `E_SOURCE_ESCAPE`, anything but a file, directory or symlink is `E_BUILD_FAILED`.
 */
export async function* walkSourceTree(root: string, dir = root, prefix = ''): AsyncGenerator<TreeEntry> {
  const names = (await readdir(dir)).filter((name) => !SKIPPED.has(name)).sort(compareBytes);
  for (const name of names) {
    const absPath = join(dir, name);
    const path = prefix + name;
    const info = await lstat(absPath);
    if (info.isDirectory()) {
      yield { kind: 'directory', path };
      yield* walkSourceTree(root, absPath, `${path}/`);
    } else if (info.isFile()) {
      yield { kind: 'file', path, absPath, size: info.size, executable: (info.mode & 0o111) !== 0 };
    } else if (info.isSymbolicLink()) {
      yield { kind: 'symlink', path, target: await readInsideLink(root, absPath, path) };
    } else {
      throw new CutoverError(
        'E_BUILD_FAILED',
        `${absPath} is a ${describeKind(info)}; only files, directories and symlinks can be packaged`,
        { path: absPath, kind: describeKind(info) },
      );
    }
  }
}

async function readInsideLink(root: string, absPath: string, path: string): Promise<string> {
  const target = await readlink(absPath);
  if (!(await isLinkInside(root, absPath, target))) {
    throw new CutoverError(
      'E_SOURCE_ESCAPE',
      `symlink ${absPath} -> ${target} leads outside the source directory ${root}`,
      { path, link: absPath, target, root },
    );
  }
  return target;
}

function describeKind(info: Stats): string {
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice()) return 'character device';
  if (info.isBlockDevice()) return 'block device';
  return 'special file';
}
