import { spawn } from 'node:child_process';
import { BASE_ENV_NAMES, pickAllowedEnv } from '../core/allowed-env.js';
import type { Config } from '../core/schema/config.js';
import { packageFile } from '../lib/package-root.js';
import { notifyEnvNames } from './notify-setup.js';

const MAIN = packageFile('dist/src/cli/main.js');

export interface FlushPlaces {
  stateDir: string;
  /** cutover.yaml's absolute path; undefined when there is none */
  configPath: string | undefined;
}

/**
 * Starts `cutover notify flush` detached from this command, which then exits at once with its
 * result: a receiver that is slow, dead or holds the request open costs the command nothing, and
 * the flush finishes (or gives up, retries bounded) on its own. It gets the base environment,
 * the webhooks' keys and the store's URL, nothing else (core/allowed-env.ts says why).
 * `from` is where a URL the store does not know yet starts: just before this command's first
 * event, so a webhook added to cutover.yaml hears this command but not the project's history.
 */
export function spawnFlush(config: Config, places: FlushPlaces, from: number): void {
  const args = [MAIN, '--state-dir', places.stateDir];
  if (places.configPath) args.push('--config', places.configPath);
  args.push('notify', 'flush', '--from', String(from));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: 'ignore',
    env: pickAllowedEnv(process.env, [...BASE_ENV_NAMES, ...notifyEnvNames(config)]),
  });
  child.on('error', () => undefined);
  child.unref();
}
