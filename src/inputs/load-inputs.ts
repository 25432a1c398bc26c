import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CutoverError } from '../core/errors.js';
import { changesetSchema, type Changeset } from '../core/schema/changeset.js';
import { configSchema, type Config } from '../core/schema/config.js';
import { isMode, MODES, strategySchema, type Strategy } from '../core/schema/strategy.js';
import { loadYamlFile, validateValue } from './load-yaml.js';

export interface LoadedChangeset {
  changeset: Changeset;
  path: string;
  baseDir: string;
}

export function loadChangeset(path: string): LoadedChangeset {
  const abs = resolve(path);
  return {
    changeset: loadYamlFile(abs, changesetSchema, 'changeset', path),
    path: abs,
    baseDir: dirname(abs),
  };
}

/** `--strategy` is a mode word (that mode's defaults) or a strategy.yaml file. */
export function loadStrategy(arg: string): Strategy {
  if (isMode(arg)) return validateValue({ mode: arg }, strategySchema, 'strategy', arg);
  if (!/\.ya?ml$/.test(arg) && !existsSync(arg)) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `--strategy: "${arg}" is neither a mode (${MODES.join(', ')}) nor a strategy file`,
    );
  }
  return loadYamlFile(resolve(arg), strategySchema, 'strategy', arg);
}

/** `--config` if given (must exist), else ./cutover.yaml if present, else every default. */
export function loadConfig(path: string | undefined): { config: Config; path: string | undefined } {
  if (path !== undefined)
    return { config: loadYamlFile(resolve(path), configSchema, 'config', path), path: resolve(path) };
  const fallback = resolve('cutover.yaml');
  if (existsSync(fallback))
    return { config: loadYamlFile(fallback, configSchema, 'config', 'cutover.yaml'), path: fallback };
  return { config: configSchema.parse({}), path: undefined };
}
