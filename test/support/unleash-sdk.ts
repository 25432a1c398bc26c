import { InMemStorageProvider, startUnleash, type Unleash } from 'unleash-client';
import type { FlagEnvironmentState } from '../../src/core/model/flag.js';
import type { RunningUnleash } from './unleash.js';
import { waitUntil } from './wait-until.js';

/**
 * The official Node SDK (`unleash-client`) as a service of the team would run it, with the backend
 * token for `production`: the reference for who sees a flag on. It polls every 200 ms, so a
 * change made through the Admin API reaches it within about a second (the server caches too).
 */
export interface UnleashSdk {
  /** Waits until the SDK has `flag` as `state` says, then evaluates it for each user id. */
  seenOn(flag: string, state: FlagEnvironmentState, users: string[]): Promise<boolean[]>;
  destroy(): void;
}

export async function startUnleashSdk(unleash: RunningUnleash): Promise<UnleashSdk> {
  const client: Unleash = await startUnleash({
    url: `${unleash.url}/api/`,
    appName: 'cutover-tests',
    customHeaders: { Authorization: unleash.backendToken },
    refreshInterval: 200,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
  });
  const arrived = (flag: string, state: FlagEnvironmentState): boolean => {
    const definition = client.getFeatureToggleDefinition(flag);
    if (!definition || definition.enabled !== (state.state === 'on')) return false;
    const rollouts = (definition.strategies ?? [])
      .filter((s) => s.name === 'flexibleRollout')
      .map((s) => String(s.parameters?.['rollout']));
    // An environment switched on with no strategy of cutover's serves everybody (readState).
    return rollouts.includes(String(state.percentage)) || (rollouts.length === 0 && state.percentage === 100);
  };
  return {
    async seenOn(flag, state, users) {
      await waitUntil(
        () => arrived(flag, state),
        `the SDK to see ${flag} ${state.state} ${state.percentage} %`,
      );
      return users.map((userId) => client.isEnabled(flag, { userId }));
    },
    destroy: () => client.destroy(),
  };
}
