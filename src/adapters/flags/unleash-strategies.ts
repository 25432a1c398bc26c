import type { FlagEnvironmentState } from '../../ports/flags.js';

/** A strategy as Unleash's Admin API lists it for one flag in one environment. */
export interface UnleashStrategy {
  id: string;
  name: string;
  title?: string | null;
  constraints: unknown[];
  parameters: Record<string, string>;
  variants?: unknown[];
  segments?: number[];
  disabled?: boolean | null;
  sortOrder?: number;
}

/** What `native` holds for an Unleash flag: the environment's switch and every strategy, by id. */
export interface UnleashEnvironment {
  enabled: boolean;
  strategies: UnleashStrategy[];
}

export function isUnleashEnvironment(value: unknown): value is UnleashEnvironment {
  const v = value as UnleashEnvironment | null;
  return typeof v === 'object' && v !== null && typeof v.enabled === 'boolean' && Array.isArray(v.strategies);
}

const isActive = (s: UnleashStrategy): boolean => s.disabled !== true;
const isPlain = (s: UnleashStrategy): boolean =>
  s.constraints.length === 0 && (s.segments ?? []).length === 0;

/**
 * The strategy cutover turns into its percentage: a flexibleRollout with no constraint and no
 * segment, preferably one grouped by the flag's own name (the bucketing the router shares).
 */
export function rolloutStrategyOf(flag: string, strategies: UnleashStrategy[]): UnleashStrategy | undefined {
  const plain = strategies.filter((s) => s.name === 'flexibleRollout' && isPlain(s));
  return plain.find((s) => s.parameters['groupId'] === flag) ?? plain[0];
}

/**
 * The state cutover reads: on or off from the environment's switch; the percentage from its one
 * active plain rollout (a plain `default` strategy is 100 %, no active strategy is 100 % when on —
 * Unleash then serves it to everybody — and 0 % when off). Strategies cutover does not write
 * (constraints, segments, several at once) have no percentage of their own: the rollout's is
 * reported, and `native` keeps all of them for an exact restore.
 */
export function readState(flag: string, env: UnleashEnvironment): FlagEnvironmentState {
  const state = env.enabled ? 'on' : 'off';
  const active = env.strategies.filter(isActive);
  const rollout = rolloutStrategyOf(flag, active);
  let percentage: number;
  if (rollout) percentage = Number(rollout.parameters['rollout'] ?? 0);
  else if (active.length === 0) percentage = env.enabled ? 100 : 0;
  else percentage = active.some((s) => s.name === 'default' && isPlain(s)) ? 100 : 0;
  return { state, percentage, native: env };
}

/** What a PUT or POST of `s` sends: everything but its id and Unleash's own bookkeeping. */
export function strategyBody(s: UnleashStrategy): Omit<UnleashStrategy, 'id'> {
  return {
    name: s.name,
    title: s.title ?? null,
    constraints: s.constraints,
    parameters: s.parameters,
    variants: s.variants ?? [],
    segments: s.segments ?? [],
    disabled: s.disabled ?? false,
    ...(s.sortOrder === undefined ? {} : { sortOrder: s.sortOrder }),
  };
}

/** Two strategies Unleash would evaluate the same way (ids aside). */
export function sameStrategy(a: UnleashStrategy, b: UnleashStrategy): boolean {
  return JSON.stringify(strategyBody(a)) === JSON.stringify(strategyBody(b));
}

/**
 * The strategies that make `percentage` mean exactly the users the router sends to a canary:
 * one active flexibleRollout at `percentage`, `stickiness: default`, `groupId` = the flag. It is
 * updated by id when there is one (strategies are OR-ed: a second would widen the audience), and
 * every other strategy is disabled, not deleted, so that a restore finds it under its id.
 */
export function desiredStrategies(
  flag: string,
  current: UnleashStrategy[],
  percentage: number,
): Array<UnleashStrategy | Omit<UnleashStrategy, 'id'>> {
  const rollout = rolloutStrategyOf(flag, current);
  const parameters = { rollout: String(percentage), stickiness: 'default', groupId: flag };
  const wanted = rollout
    ? { ...rollout, parameters, disabled: false }
    : { name: 'flexibleRollout', title: null, constraints: [], parameters, variants: [], segments: [] };
  const others = current.filter((s) => s !== rollout).map((s) => ({ ...s, disabled: true }));
  return [wanted, ...others];
}
