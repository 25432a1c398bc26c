import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { podmanExec } from '../../lib/podman/podman-exec.js';
import { LABELS, runtimeIdOf } from './container-names.js';
import { removeContainer } from './container-process.js';

// Written in the runtime's directory before its first container runs: only then is there
// anything of its own for a restarted daemon to look for in podman.
const MARKER = 'podman-runner';

export async function markContainersUsed(runtimeDir: string): Promise<void> {
  const marker = join(runtimeDir, MARKER);
  if (!existsSync(marker)) await writeFile(marker, '');
}

/**
 * Removes this runtime's containers (by label) that none of its versions runs in: those of a
 * start or a retirement a dead daemon left behind, which nothing else would ever stop.
 */
export async function sweepContainers(
  runtimeDir: string,
  keep: ReadonlySet<string>,
  logger: Logger,
): Promise<void> {
  if (!existsSync(join(runtimeDir, MARKER))) return;
  const label = `label=${LABELS.runtime}=${runtimeIdOf(runtimeDir)}`;
  const listed = await podmanExec(['ps', '--all', '--filter', label, '--format', '{{.Names}}']).catch(
    (err: unknown) => ({ code: 1, stdout: '', stderr: String(err) }),
  );
  if (listed.code !== 0) {
    logger.error('Cannot list containers', { error: listed.stderr.trim() });
    return;
  }
  for (const name of listed.stdout.split('\n').filter(Boolean)) {
    if (keep.has(name)) continue;
    logger.info('Removing stray container', { container: name });
    await removeContainer(name);
  }
}
