import { CutoverError } from './errors.js';
import {
  BUILTIN_ENVIRONMENTS,
  configSchema,
  DEFAULT_ROUTER_PORTS,
  type Config,
  type EnvironmentConfig,
} from './schema/config.js';
import type { Mode } from './schema/strategy.js';

export type ResolvedEnvironment = Omit<EnvironmentConfig, 'manual'> & {
  name: string;
  target: EnvironmentConfig['target'] & { port: number };
  manual: { apply_to: string };
};

/** Where a manual deploy waits for approval unless cutover.yaml says otherwise. */
export const DEFAULT_MANUAL_APPLY_TO = 'staging';

const DEFAULT_ENVIRONMENT = configSchema.parse({ environments: { x: {} } }).environments['x']!;

/** The names an operator may deploy to: production and staging always, plus cutover.yaml's. */
export function environmentNames(config: Config): string[] {
  return [...new Set([...BUILTIN_ENVIRONMENTS, ...Object.keys(config.environments)])];
}

/**
 * An environment with every default filled in. production and staging need no configuration;
 * any other name must be declared in cutover.yaml with a router port.
 */
export function resolveEnvironment(config: Config, name: string): ResolvedEnvironment {
  // Own keys only: `--env toString` must be an unknown environment, not Object.prototype's.
  const declared = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
  if (!declared && !Object.hasOwn(DEFAULT_ROUTER_PORTS, name)) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `unknown environment "${name}" (known: ${environmentNames(config).join(', ')}; declare others under environments: in cutover.yaml)`,
    );
  }
  const env = declared ?? DEFAULT_ENVIRONMENT;
  const port =
    env.target.port ?? (Object.hasOwn(DEFAULT_ROUTER_PORTS, name) ? DEFAULT_ROUTER_PORTS[name] : undefined);
  if (port === undefined) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `environments.${name}.target.port: is required for an environment other than production or staging`,
    );
  }
  const manual = { apply_to: env.manual?.apply_to ?? DEFAULT_MANUAL_APPLY_TO };
  return { ...env, name, target: { ...env.target, port }, manual };
}

/**
 * The environment a deploy changes: its target, or for a manual deploy the one it waits in for
 * approval (`manual.apply_to`), which must be another one: a manual deploy to staging that also
 * waits in staging would be live there before anyone approved it.
 */
export function applyEnvironmentOf(env: ResolvedEnvironment, mode: Mode): string {
  if (mode !== 'manual') return env.name;
  if (env.manual.apply_to === env.name)
    throw new CutoverError(
      'E_INVALID_INPUT',
      `a manual deploy to ${env.name} would wait for approval in ${env.name} itself (its manual.apply_to): set environments.${env.name}.manual.apply_to in cutover.yaml to another environment, or deploy to ${env.name} with fast-track or canary`,
    );
  return env.manual.apply_to;
}
