import { resolve } from 'node:path';
import type { ResolvedEnvironment } from '../core/environments.js';

/**
 * An environment's `target.runtime_dir` as an absolute path, relative ones taken from
 * cutover.yaml's directory (as the audit keys are), so that every executor reading one
 * cutover.yaml finds the same daemon whatever its working directory. Undefined: the state dir's.
 */
export function runtimeDirOf(env: ResolvedEnvironment, configDir: string): string | undefined {
  const dir = env.target.type === 'local' ? env.target.runtime_dir : undefined;
  return dir === undefined ? undefined : resolve(configDir, dir);
}
