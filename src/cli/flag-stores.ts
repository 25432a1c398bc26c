import { environmentNames } from '../core/environments.js';
import { CutoverError, isCutoverError } from '../core/errors.js';
import type { Config, UnleashFlagsConfig } from '../core/schema/config.js';
import type { FlagRecord, Flags } from '../ports/flags.js';
import { createUnleashFlags } from '../adapters/flags/unleash-flags.js';
import { memo } from './lazy.js';

/**
 * The flag store of every environment behind one Flags: each environment's `flags` in
 * cutover.yaml picks cutover's own store or an Unleash (environments sharing an Unleash URL,
 * project and token share one client). `create` makes the flag in every store an environment
 * uses, and is E_WRONG_STATE only when it existed in all of them; `list` shows each environment
 * as its own store has it. The Unleash token is read here, from the variable `token_env` names.
 */
export function openFlagStores(
  config: Config,
  /** cutover's own store: the state dir's flags.db, or PostgreSQL with `state: postgres` */
  ownStore: () => Flags,
  env: NodeJS.ProcessEnv = process.env,
): Flags {
  const embedded = memo(ownStore);
  const unleash = new Map<string, { config: UnleashFlagsConfig; environments: Record<string, string> }>();
  const owner = new Map<string, string>();
  for (const name of environmentNames(config)) {
    const flags = config.environments[name]?.flags;
    if (flags?.type !== 'unleash') continue;
    const key = JSON.stringify([flags.url, flags.project, flags.token_env]);
    const entry = unleash.get(key) ?? { config: flags, environments: {} };
    entry.environments[name] = flags.environment ?? name;
    unleash.set(key, entry);
    owner.set(name, key);
  }
  const remote = new Map<string, Flags>();
  for (const [key, { config: c, environments }] of unleash) {
    const name = Object.keys(environments)[0]!;
    const token = env[c.token_env];
    if (token === undefined || token === '')
      throw new CutoverError(
        'E_INVALID_INPUT',
        `environments.${name}.flags.token_env: the variable ${c.token_env} is not set (it must hold an Unleash API token for ${c.url})`,
      );
    remote.set(
      key,
      createUnleashFlags({ url: c.url, project: c.project, token, tokenEnv: c.token_env, environments }),
    );
  }
  const usesEmbedded = environmentNames(config).some((name) => !owner.has(name));
  const storeOf = (environment: string): Flags => {
    const key = owner.get(environment);
    return key === undefined ? embedded() : remote.get(key)!;
  };
  const stores = (): Flags[] => [...(usesEmbedded ? [embedded()] : []), ...remote.values()];

  return {
    name: remote.size === 0 ? 'embedded' : usesEmbedded ? 'embedded+unleash' : 'unleash',
    get: (flag, environment) => storeOf(environment).get(flag, environment),
    set: (flag, environment, state) => storeOf(environment).set(flag, environment, state),
    async create(flag) {
      let existed = 0;
      for (const store of stores()) {
        try {
          await store.create(flag);
        } catch (err) {
          if (!(isCutoverError(err) && err.code === 'E_WRONG_STATE')) throw err;
          existed += 1;
        }
      }
      if (existed === stores().length)
        throw new CutoverError('E_WRONG_STATE', `flag "${flag}" already exists`);
    },
    async list() {
      const byName = new Map<string, FlagRecord>();
      for (const store of stores()) {
        for (const record of await store.list()) {
          const merged = byName.get(record.name) ?? { name: record.name, environments: {} };
          for (const [environment, state] of Object.entries(record.environments))
            if (storeOf(environment) === store) merged.environments[environment] = state;
          byName.set(record.name, merged);
        }
      }
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    async dispose() {
      await embedded.peek()?.dispose?.();
    },
  };
}
