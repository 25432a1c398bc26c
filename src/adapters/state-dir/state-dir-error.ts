import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { CutoverError } from '../../core/errors.js';

export type StateAccess = 'read' | 'write';

/** What an errno means to someone choosing a state dir; SQLite's own words say none of this. */
function errnoReason(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device (disk full)';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return fallback;
  }
}

function statOf(path: string): Stats | string {
  try {
    return statSync(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

function accessError(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

/** SQLite's extended codes, for what the file system checks above could not explain. */
function sqliteReason(err: unknown): string {
  const code = String((err as { code?: unknown }).code ?? '');
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_FULL')) return 'disk full';
  if (code.startsWith('SQLITE_NOTADB')) return 'not a SQLite database';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the database file is corrupt';
  if (code.startsWith('SQLITE_BUSY')) return 'locked by another process';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_IOERR')) return `I/O error (${message})`;
  return errnoReason((err as NodeJS.ErrnoException).code, message);
}

/**
 * Why `path` (a file in the state dir) could not be opened for `access`: looks at the directory
 * and the file as the kernel sees them for this user (root passes permission checks, not EROFS).
 */
export function describeOpenFailure(path: string, access: StateAccess, err: unknown): string {
  const dir = dirname(path);
  const dirStat = statOf(dir);
  if (typeof dirStat === 'string') return `${dir}: ${errnoReason(dirStat, dirStat)}`;
  if (!dirStat.isDirectory()) return `${dir} is not a directory`;
  const fileStat = statOf(path);
  if (typeof fileStat !== 'string' && fileStat.isDirectory()) return 'it is a directory';
  if (access === 'write') {
    const dirDenied = accessError(dir, constants.W_OK);
    if (dirDenied) return `the directory ${dir} is not writable (${errnoReason(dirDenied, dirDenied)})`;
  }
  if (typeof fileStat !== 'string') {
    const fileDenied = accessError(
      path,
      access === 'write' ? constants.R_OK | constants.W_OK : constants.R_OK,
    );
    if (fileDenied)
      return `the file is not ${access === 'write' ? 'writable' : 'readable'} (${errnoReason(fileDenied, fileDenied)})`;
  }
  return sqliteReason(err);
}

/** One line naming the file and the reason; exit 2, since nothing was changed. */
export function stateFileError(path: string, access: StateAccess, err: unknown): CutoverError {
  const verb = access === 'write' ? 'write' : 'read';
  return new CutoverError(
    'E_STATE_DIR',
    `cannot ${verb} ${path}: ${describeOpenFailure(path, access, err)}`,
    { path },
    err,
  );
}

function nearestExisting(path: string): string {
  let dir = dirname(path);
  while (typeof statOf(dir) === 'string' && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** `mkdir -p` of the state dir, failing with one line that names it and says why. */
export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const existing = statOf(dir);
    let why = errnoReason(code, (err as Error).message);
    if (typeof existing !== 'string' && !existing.isDirectory()) why = 'it exists and is not a directory';
    else if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') why += ` on ${nearestExisting(dir)}`;
    throw new CutoverError('E_STATE_DIR', `cannot create the state dir ${dir}: ${why}`, { path: dir }, err);
  }
}
