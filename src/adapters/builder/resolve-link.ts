import { lstat, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

/** Symlink hops followed before a chain is called a loop (Linux's own limit). */
const MAX_HOPS = 40;

/**
 * Whether the symlink at `linkPath` (inside the real directory `root`) designates something
 * inside `root`, resolving the target the way the kernel would. A purely textual check is not
 * enough: with `d -> .`, the target `d/..` reads as `root` but the kernel reaches root's parent,
 * because `..` applies to where `d` leads, not to the name `d`.
 */
export async function isLinkInside(root: string, linkPath: string, target: string): Promise<boolean> {
  if (isAbsolute(target)) return false;
  const stack = relative(root, dirname(linkPath)).split(sep).filter(Boolean);
  return followParts(root, stack, target.split('/'), { hops: MAX_HOPS });
}

/** Walks `parts` from `stack` (components below root), mutating `stack` to where they lead. */
async function followParts(
  root: string,
  stack: string[],
  parts: string[],
  budget: { hops: number },
): Promise<boolean> {
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return false;
      stack.pop();
      continue;
    }
    stack.push(part);
    const info = await lstat(join(root, ...stack)).catch(() => undefined);
    // A missing component ends kernel resolution with ENOENT; the textual walk of the rest is
    // then as strict as anything the kernel could do with it.
    if (!info?.isSymbolicLink()) continue;
    if (--budget.hops < 0) return false;
    const next = await readlink(join(root, ...stack));
    if (isAbsolute(next)) return false;
    stack.pop();
    if (!(await followParts(root, stack, next.split('/'), budget))) return false;
  }
  return true;
}
