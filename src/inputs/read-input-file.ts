import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CutoverError } from '../core/errors.js';

/** Changesets, strategies and configs are a few KiB; anything past this is not one of them. */
export const MAX_INPUT_BYTES = 1024 * 1024;

// YAML allows tab, LF and CR among the C0 controls; any other is a binary file, never an input.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'no such file (a part of the path is not a directory)',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function unreadable(what: string, display: string, why: string): CutoverError {
  return new CutoverError('E_INVALID_INPUT', `${what} ${display}: ${why}`);
}

/**
 * Reads an input file as text, refusing what cannot be one: a directory, a device, anything over
 * {@link MAX_INPUT_BYTES} (a pipe or a /proc file has no size up front, so at most one byte more
 * is read), a binary file. No error quotes the file: it may be something else entirely.
 */
export function readInputFile(path: string, what: string, display: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw unreadable(what, display, WHY[code] ?? `cannot be read (${code || 'unknown error'})`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw unreadable(what, display, WHY['EISDIR']!);
    if (!stat.isFile() && !stat.isFIFO()) throw unreadable(what, display, 'is not a regular file');
    const tooBig = () =>
      unreadable(
        what,
        display,
        `is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the most an input file may be`,
      );
    if (stat.size > MAX_INPUT_BYTES) throw tooBig();
    const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_INPUT_BYTES) throw tooBig();
    const text = buffer.subarray(0, length).toString('utf8');
    const control = CONTROL.exec(text);
    if (control) {
      const line = text.slice(0, control.index).split('\n').length;
      throw unreadable(what, `${display}:${line}`, 'holds a control character: it is not a YAML text file');
    }
    return text;
  } finally {
    closeSync(fd);
  }
}
