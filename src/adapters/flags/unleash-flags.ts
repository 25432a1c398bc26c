import { CutoverError } from '../../core/errors.js';
import type { FlagEnvironmentState, FlagRecord, Flags } from '../../ports/flags.js';
import { callUnleash, expectStatus, unleashMessage, type UnleashApiOptions } from './unleash-api.js';
import { writeStrategies } from './unleash-write.js';
import {
  desiredStrategies,
  isUnleashEnvironment,
  readState,
  type UnleashEnvironment,
  type UnleashStrategy,
} from './unleash-strategies.js';

export interface UnleashFlagsOptions extends UnleashApiOptions {
  project: string;
  /** the Unleash environment each cutover environment this store serves is */
  environments: Record<string, string>;
}

/**
 * Flags in the team's Unleash, through its Admin API (RECIPES "Unleash"): a flag is a feature of
 * `project`; its state in an environment is that environment's switch and one flexibleRollout
 * strategy (`stickiness: default`, `groupId` = the flag), so a percentage picks the users the
 * router's canary split picks. `get` returns the environment's exact strategies as `native`, and
 * `set` given them back restores them by id. The token travels only in the Authorization header.
 *
 * @example
 * const flags = createUnleashFlags({ url, project: 'default', token, tokenEnv: 'UNLEASH_TOKEN',
 *   environments: { production: 'production' } });
 * await flags.set('ff-142-api-orders', 'production', { state: 'on', percentage: 5 });
 */
export function createUnleashFlags(options: UnleashFlagsOptions): Flags {
  const project = encodeURIComponent(options.project);
  const feature = (flag: string) => `api/admin/projects/${project}/features/${encodeURIComponent(flag)}`;
  const unleashEnv = (environment: string): string => {
    const name = options.environments[environment];
    if (name === undefined)
      throw new CutoverError('E_INTERNAL', `no Unleash environment for ${environment} at ${options.url}`);
    return name;
  };
  const doing = (what: string, flag: string, environment?: string) =>
    `${what} flag ${flag}${environment ? ` in ${environment}` : ''}`;

  /** Why `flag` is not there: no such project, archived, or simply never created (undefined). */
  async function whyMissing(flag: string, what: string): Promise<CutoverError | undefined> {
    const projects = await callUnleash(options, 'GET', 'api/admin/projects', doing(what, flag));
    const ids = ((projects.body as { projects?: Array<{ id: string }> }).projects ?? []).map((p) => p.id);
    if (projects.status === 200 && !ids.includes(options.project))
      return new CutoverError(
        'E_INVALID_INPUT',
        `Unleash at ${options.url} has no project "${options.project}" (flags.project in cutover.yaml) ${doing(what, flag)}`,
      );
    const check = await callUnleash(options, 'POST', 'api/admin/features/validate', doing(what, flag), {
      name: flag,
    });
    if (check.status === 409 && /archived/i.test(unleashMessage(check)))
      return new CutoverError(
        'E_FLAG_MISSING',
        `flag ${flag} is archived in Unleash at ${options.url} (project ${options.project}): revive it there or name another flag`,
      );
    return undefined;
  }

  async function readEnvironment(flag: string, environment: string): Promise<UnleashEnvironment | undefined> {
    const what = doing('reading', flag, environment);
    const name = unleashEnv(environment);
    // The flag's own document first: the per-environment endpoints still answer for an archived flag.
    const found = await callUnleash(options, 'GET', feature(flag), what);
    if (found.status === 404) {
      const why = await whyMissing(flag, 'reading');
      if (why) throw why;
      return undefined;
    }
    expectStatus(options, found, [200], what);
    const env = (
      found.body as { environments?: Array<{ name: string; enabled: boolean }> }
    ).environments?.find((e) => e.name === name);
    if (!env)
      throw new CutoverError(
        'E_INVALID_INPUT',
        `Unleash at ${options.url} has no environment "${name}" (set flags.environment of ${environment} in cutover.yaml) reading flag ${flag}`,
      );
    const path = `${feature(flag)}/environments/${encodeURIComponent(name)}/strategies`;
    const strategies = await callUnleash(options, 'GET', path, what);
    expectStatus(options, strategies, [200], what);
    return { enabled: env.enabled === true, strategies: strategies.body as UnleashStrategy[] };
  }

  return {
    name: 'unleash',
    async get(flag, environment) {
      const env = await readEnvironment(flag, environment);
      return env && readState(flag, env);
    },
    async set(flag, environment, desired: FlagEnvironmentState) {
      const exact = isUnleashEnvironment(desired.native) ? desired.native : undefined;
      if (!exact) checkPercentage(desired.percentage, flag, environment);
      const current = await readEnvironment(flag, environment);
      if (!current)
        throw new CutoverError(
          'E_FLAG_MISSING',
          `flag "${flag}" does not exist in Unleash at ${options.url} (project ${options.project}; create it with: cutover flags create ${flag})`,
        );
      const target: UnleashEnvironment = exact ?? {
        enabled: desired.state === 'on',
        strategies: desiredStrategies(flag, current.strategies, desired.percentage) as UnleashStrategy[],
      };
      const path = `${feature(flag)}/environments/${encodeURIComponent(unleashEnv(environment))}`;
      await writeStrategies(options, path, current, target, !!exact, doing('setting', flag, environment));
    },
    async create(flag) {
      const what = doing('creating', flag);
      const reply = await callUnleash(options, 'POST', `api/admin/projects/${project}/features`, what, {
        name: flag,
        type: 'release',
      });
      if (reply.status === 409 && /archived/i.test(unleashMessage(reply)))
        throw (await whyMissing(flag, 'creating'))!;
      if (reply.status === 409) throw new CutoverError('E_WRONG_STATE', `flag "${flag}" already exists`);
      if (reply.status === 404) {
        const why = await whyMissing(flag, 'creating');
        if (why) throw why;
      }
      expectStatus(options, reply, [200, 201], what);
    },
    async list() {
      const what = `listing the flags of project ${options.project}`;
      const reply = await callUnleash(options, 'GET', `api/admin/projects/${project}/features`, what);
      expectStatus(options, reply, [200], what);
      const names = ((reply.body as { features?: Array<{ name: string }> }).features ?? []).map(
        (f) => f.name,
      );
      const records: FlagRecord[] = [];
      for (const name of names.sort()) {
        const environments: FlagRecord['environments'] = {};
        for (const environment of Object.keys(options.environments)) {
          const state = await this.get(name, environment);
          if (state) environments[environment] = { state: state.state, percentage: state.percentage };
        }
        records.push({ name, environments });
      }
      return records;
    },
  };
}

function checkPercentage(percentage: number, flag: string, environment: string): void {
  // Unleash itself accepts a rollout of 150 (RECIPES "Unleash"): the range is checked here.
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `percentage must be a whole number from 0 to 100, got ${percentage} (flag ${flag} in ${environment})`,
    );
  }
}
