import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReleaseRef } from '../../ports/release.js';
import { CutoverError } from '../../core/errors.js';
import type { RouterLimits } from '../client/api-types.js';

/** What the daemon must bring back after a restart: routers, versions and their weights. */
export interface DesiredState {
  version: 1;
  environments: Record<string, DesiredEnvironment>;
}

export interface DesiredEnvironment {
  port: number;
  stickiness_header: string;
  group_id: string;
  /** absent in states saved before routers had limits: the defaults then */
  limits?: RouterLimits;
  weights: Record<string, number>;
  versions: DesiredVersion[];
  /**
   * Processes being started when this was saved. Not wanted back: a daemon restarted after a
   * crash kills those still running, since nothing else would ever stop them.
   */
  starting?: StartedProcess[];
  /**
   * Processes of versions being drained and stopped when this was saved (absent in states saved
   * before they were kept): no longer wanted, so killed like those being started.
   */
  retiring?: StartedProcess[];
}

export interface StartedProcess {
  pid: number;
  procStartTicks: number | null;
}

export interface DesiredVersion {
  release: ReleaseRef;
  layoutDir: string;
  healthTimeoutMs: number;
  /** epoch ms; orders versions newest first in the bucket layout */
  startedAt: number;
  /** the process last started for it, so a restart after a crash of the daemon can reap it */
  pid: number | null;
  procStartTicks: number | null;
}

export function createEmptyState(): DesiredState {
  return { version: 1, environments: {} };
}

export async function readDesiredState(file: string): Promise<DesiredState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createEmptyState();
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as DesiredState;
    if (parsed.version !== 1 || typeof parsed.environments !== 'object') throw new Error('unknown format');
    return parsed;
  } catch (err) {
    throw new CutoverError(
      'E_RUNTIME_UNAVAILABLE',
      `cannot read runtime state ${file}: ${String(err)}`,
      {},
      err,
    );
  }
}

/**
 * Writes through a temp file and a rename so a crash mid-write leaves the previous state whole.
 * Writes are chained: the last change asked for is the last one on disk.
 */
export function createStateWriter(file: string): (state: DesiredState) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (state) => {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    chain = chain
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, file);
      });
    return chain;
  };
}
