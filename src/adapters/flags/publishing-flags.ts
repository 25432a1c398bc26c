import type { FlagRecord, Flags } from '../../ports/flags.js';
import type { PublishedFlag } from '../../runtime/client/api-types.js';
import { OFF } from './flag-rules.js';

/** Hands one environment's flag states to whatever serves them (the runtime daemon's OFREP). */
export type PublishFlags = (environment: string, flags: PublishedFlag[]) => Promise<void>;

/** Every flag as `environment` sees it: an environment never set reads as off, 0 %. */
export function environmentFlags(records: FlagRecord[], environment: string): PublishedFlag[] {
  return records.map((r) => ({ name: r.name, ...(r.environments[environment] ?? OFF) }));
}

/**
 * `store`, publishing after each change the states of the environments it touched: the
 * environment a `set` names, every environment of `environments()` for a `create`. What is
 * published is read back from the store after the write, so it is a state the store held (two
 * executors racing may still publish in the other order: docs/architecture.md#flags-served-by-the-runtime).
 * A failed publication fails the change, which is idempotent to retry: a canary
 * must not route 5 % of users to a version while their services still evaluate the old flag.
 */
export function publishingFlags(
  store: Flags,
  publish: PublishFlags,
  environments: () => readonly string[],
): Flags {
  const publishEach = async (names: readonly string[]) => {
    const records = await store.list();
    for (const env of names) await publish(env, environmentFlags(records, env));
  };
  return {
    name: store.name,
    get: (flag, environment) => store.get(flag, environment),
    list: () => store.list(),
    async set(flag, environment, state) {
      await store.set(flag, environment, state);
      await publishEach([environment]);
    },
    async create(flag) {
      await store.create(flag);
      await publishEach(environments());
    },
    dispose: () => store.dispose?.() ?? Promise.resolve(),
  };
}
