import { CutoverError } from '../../../core/errors.js';
import { redactText } from '../../../core/redact.js';
import type { OciDistributionRegistryConfig } from '../../../core/schema/config.js';

/** What the registry is told about us. Only ever held in memory; see `redactSecrets`. */
export interface Credentials {
  username?: string;
  password?: string;
  /** A pre-issued bearer token (`token_env`), sent as is. */
  token?: string;
}

/**
 * Reads the secret from the variable the config names. A missing variable is named, its value
 * never: config files are committed, environments are not.
 */
export function readCredentials(config: OciDistributionRegistryConfig, env: NodeJS.ProcessEnv): Credentials {
  const variable = config.password_env ?? config.token_env;
  if (!variable) return config.username ? { username: config.username } : {};
  const value = env[variable];
  if (value === undefined || value === '') {
    const key = config.password_env ? 'password_env' : 'token_env';
    throw new CutoverError(
      'E_INVALID_INPUT',
      `registry ${config.url}: environment variable ${variable} (${key}) is not set`,
      {
        registry: config.url,
        variable,
      },
    );
  }
  if (config.password_env) {
    if (!config.username) {
      throw new CutoverError('E_INVALID_INPUT', `registry ${config.url}: password_env needs a username`, {
        registry: config.url,
      });
    }
    return { username: config.username, password: value };
  }
  return config.username ? { username: config.username, token: value } : { token: value };
}

/** Replaces every known secret in a text; a last line of defence for messages built from server answers. */
export function redactSecrets(text: string, credentials: Credentials): string {
  return redactText(text, [credentials.password ?? '', credentials.token ?? '']);
}

export function encodeBasic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The same error with every known secret replaced, or the error itself when it holds none. */
export function redactError(err: CutoverError, credentials: Credentials | undefined): CutoverError {
  if (!credentials) return err;
  const details = JSON.stringify(err.details);
  const message = redactSecrets(err.message, credentials);
  const cleanDetails = redactSecrets(details, credentials);
  if (message === err.message && cleanDetails === details) return err;
  return new CutoverError(err.code, message, JSON.parse(cleanDetails) as Record<string, unknown>, err.cause);
}
