import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { CutoverError } from '../../core/errors.js';

/** Which changeset field named the directory, so that errors point at the line to fix. */
export type SourceField = 'source' | 'build.output' | 'build.containerfile';

/** True when `child` is `parent` or below it (both absolute, already normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

/** Refuses, before anything runs, a path whose text already leads outside `baseDir`. */
export function assertPathInside(baseDir: string, path: string, field: SourceField): string {
  const base = resolve(baseDir);
  const abs = resolve(base, path);
  if (!isInside(base, abs)) {
    throw new CutoverError('E_SOURCE_ESCAPE', `${field} ${path} resolves to ${abs}, outside ${base}`, {
      field,
      path,
      resolved: abs,
      baseDir: base,
    });
  }
  return abs;
}

/**
 * The real path of the directory to package. It must exist, be a directory and stay inside
 * `baseDir` even after symlinks are followed (`app -> /etc` is an escape too).
 */
export async function resolveSourceDir(baseDir: string, path: string, field: SourceField): Promise<string> {
  const abs = assertPathInside(baseDir, path, field);
  const info = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new CutoverError(
      'E_BUILD_FAILED',
      `${field} ${path} does not exist (${abs})`,
      { field, path, resolved: abs },
      err,
    );
  });
  if (!info.isDirectory()) {
    throw new CutoverError('E_BUILD_FAILED', `${field} ${path} is not a directory (${abs})`, {
      field,
      path,
      resolved: abs,
    });
  }
  const [realBase, real] = await Promise.all([realpath(resolve(baseDir)), realpath(abs)]);
  if (!isInside(realBase, real)) {
    throw new CutoverError(
      'E_SOURCE_ESCAPE',
      `${field} ${path} leads through a symlink to ${real}, outside ${realBase}`,
      { field, path, resolved: real, baseDir: realBase },
    );
  }
  return real;
}
