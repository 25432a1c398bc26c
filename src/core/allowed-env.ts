/**
 * Environment allow-lists for the processes cutover starts. A child inherits its parent's whole
 * environment unless told otherwise, and on Linux anyone of the same user can read it back from
 * `/proc/<pid>/environ` for as long as the process lives: a registry password the CLI was given
 * must not live on in the runtime daemon, its router processes, a deployed app or a build.
 * So each of them gets only the variables named here (plus what it is explicitly handed).
 */

/** What any program needs to find its tools, its home, its user, its locale and its time zone. */
export const BASE_ENV_NAMES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
];

/** Locale categories (`LC_ALL`, `LC_CTYPE`, …): settings, never credentials. */
const LOCALE_PREFIX = 'LC_';

/** The shape of a variable name a shell accepts (`export NAME=…`). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables of `env` named in `names`, plus every `LC_*` one; nothing else. Unset names are
 * left out rather than set to an empty string.
 *
 * @example
 * pickAllowedEnv({ PATH: '/bin', REGISTRY_PASSWORD: 'x' }, BASE_ENV_NAMES); // { PATH: '/bin' }
 */
export function pickAllowedEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string> {
  const allowed = new Set(names);
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (allowed.has(name) || name.startsWith(LOCALE_PREFIX)) picked[name] = value;
  }
  return picked;
}
