import { CutoverError } from './errors.js';
import {
  BUILTIN_ENVIRONMENTS,
  configSchema,
  DEFAULT_ROUTER_PORTS,
  type Config,
  type EnvironmentConfig,
} from './schema/config.js';

export type ResolvedEnvironment = EnvironmentConfig & {
  name: string;
  target: EnvironmentConfig['target'] & { port: number };
};

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
  const declared = config.environments[name];
  if (!declared && !(name in DEFAULT_ROUTER_PORTS)) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `unknown environment "${name}" (known: ${environmentNames(config).join(', ')}; declare others under environments: in cutover.yaml)`,
    );
  }
  const env = declared ?? DEFAULT_ENVIRONMENT;
  const port = env.target.port ?? DEFAULT_ROUTER_PORTS[name];
  if (port === undefined) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `environments.${name}.target.port: is required for an environment other than production or staging`,
    );
  }
  return { ...env, name, target: { ...env.target, port } };
}
