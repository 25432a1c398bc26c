import { callUnleash, expectStatus, type UnleashApiOptions } from './unleash-api.js';
import {
  sameStrategy,
  strategyBody,
  type UnleashEnvironment,
  type UnleashStrategy,
} from './unleash-strategies.js';

/**
 * Makes one flag's environment in Unleash what `target` says, changing only what differs so that
 * setting a state twice changes nothing (Unleash keeps an event per change). Switching off comes
 * before the strategies change and switching on after them: no user ever sees the flag on under
 * strategies half written.
 *
 * @param exact `target` is a state read before (a rollback): strategies it does not name are
 *   deleted, and the ones it names are put back under their ids, with their order
 */
export async function writeStrategies(
  api: UnleashApiOptions,
  path: string,
  current: UnleashEnvironment,
  target: UnleashEnvironment,
  exact: boolean,
  doing: string,
): Promise<void> {
  const toggle = async (on: boolean) => {
    if (current.enabled === on) return;
    const reply = await callUnleash(api, 'POST', `${path}/${on ? 'on' : 'off'}`, doing);
    expectStatus(api, reply, [200], doing);
  };
  if (!target.enabled) await toggle(false);

  const byId = new Map(current.strategies.map((s) => [s.id, s]));
  const kept = new Set<string>();
  for (const wanted of target.strategies) {
    const existing = wanted.id === undefined ? undefined : byId.get(wanted.id);
    if (existing) {
      kept.add(existing.id);
      if (sameStrategy(existing, wanted)) continue;
      const reply = await callUnleash(
        api,
        'PUT',
        `${path}/strategies/${existing.id}`,
        doing,
        strategyBody(wanted),
      );
      expectStatus(api, reply, [200], doing);
    } else {
      const reply = await callUnleash(api, 'POST', `${path}/strategies`, doing, strategyBody(wanted));
      expectStatus(api, reply, [200, 201], doing);
    }
  }
  if (exact) {
    for (const stale of current.strategies.filter((s: UnleashStrategy) => !kept.has(s.id))) {
      const reply = await callUnleash(api, 'DELETE', `${path}/strategies/${stale.id}`, doing);
      expectStatus(api, reply, [200, 204], doing);
    }
  }

  if (target.enabled) await toggle(true);
}
