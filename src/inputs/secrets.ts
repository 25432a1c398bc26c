import type { Config } from '../core/schema/config.js';

/**
 * The secret values cutover.yaml points at: every `*_env` key anywhere in the config names an
 * environment variable whose value is a secret (a registry password, a token, a database URL).
 * These are what `redactText` removes from outside text before it is printed or journaled.
 */
export function configuredSecrets(config: Config, env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  collect(config, names);
  const values: string[] = [];
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') values.push(value, ...urlPassword(value));
  }
  return values;
}

/** A URL's password on its own too (a database URL's): text may quote it without the rest. */
function urlPassword(value: string): string[] {
  if (!URL.canParse(value)) return [];
  const { password } = new URL(value);
  if (password === '') return [];
  const decoded = (() => {
    try {
      return decodeURIComponent(password);
    } catch {
      return password;
    }
  })();
  return decoded === password ? [password] : [password, decoded];
}

function collect(value: unknown, names: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => collect(v, names));
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('_env') && typeof v === 'string') names.add(v);
    else collect(v, names);
  }
}
