import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCommand, type CliRun } from './cli.js';

/** Root is not stopped by file permissions: as root, the reader runs as `nobody` instead. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

function chmodTree(path: string, file: number, dir: number): void {
  const isDir = statSync(path).isDirectory();
  if (isDir) for (const name of readdirSync(path)) chmodTree(join(path, name), file, dir);
  chmodSync(path, isDir ? dir : file);
}

/**
 * `chmod -R a-w dir`, leaving it readable; `parents` (e.g. a 0700 temp dir) are opened to others
 * so that the reader can reach it.
 */
export function makeReadOnly(dir: string, parents: string[] = []): void {
  for (const p of parents) chmodSync(p, 0o755);
  chmodTree(dir, 0o444, 0o555);
}

/** Undoes makeReadOnly, so the test can clean up as a non-root user. */
export function makeWritable(dir: string): void {
  chmodTree(dir, 0o644, 0o755);
}

/** Runs the built CLI as someone who may read but not write what makeReadOnly covered. */
export function runCliAsReader(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const [command, argv] = AS_ROOT
    ? ['setpriv', [...NOBODY, process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  return runCommand(command, argv, options);
}
