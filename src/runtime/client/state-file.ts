import { readFile } from 'node:fs/promises';
import type { ReleaseRef } from '../../core/model/release.js';
import type { TargetSnapshot } from '../../core/model/target.js';
import { CutoverError } from '../../core/errors.js';
import type { ContainerRequest, RouterLimits } from './api-types.js';

/**
 * What the daemon must bring back after a restart: routers, versions and their weights. The daemon
 * writes it (daemon/state-writer.ts); a client may read it while no daemon runs.
 */
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
  /** the container it runs in (podman runner): reaped by removing the container */
  container?: string;
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
  /** podman runner: what to run again, without credentials (the image is already pulled) */
  container?: ContainerRequest;
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

/** The versions, weights and bucketing group a daemon started on this state would bring back for `environment`. */
export async function readSavedSnapshot(file: string, environment: string): Promise<TargetSnapshot> {
  const saved = (await readDesiredState(file)).environments[environment];
  if (!saved) return { environment, versions: [] };
  const versions = saved.versions.map((v) => ({
    release: v.release,
    weight: saved.weights[v.release.digest] ?? 0,
    layoutDir: v.layoutDir,
    ...(v.container?.resources ? { resources: v.container.resources } : {}),
  }));
  return { environment, versions, groupId: saved.group_id };
}
