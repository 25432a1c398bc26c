import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openFlagStores } from '../../src/cli/flag-stores.js';
import { configSchema } from '../../src/core/schema/config.js';

// the embedded store is opened only when an environment's flags are read: never here
const unopened = (): never => {
  throw new Error('the embedded store must not be opened');
};
const unleash = { type: 'unleash', url: 'http://127.0.0.1:4242', token_env: 'UNLEASH_TOKEN' } as const;

it('an Unleash whose token variable is unset is an input error naming the key and the variable', () => {
  const config = configSchema.parse({ environments: { production: { flags: unleash } } });
  assert.throws(() => openFlagStores(config, unopened, {}), {
    code: 'E_INVALID_INPUT',
    message:
      'environments.production.flags.token_env: the variable UNLEASH_TOKEN is not set (it must hold an Unleash API token for http://127.0.0.1:4242)',
  });
});

it('flags config: project defaults to default; a bad URL or variable name is named by its path', () => {
  const config = configSchema.parse({ environments: { production: { flags: unleash } } });
  assert.deepEqual(config.environments['production']!.flags, { ...unleash, project: 'default' });
  const bad = configSchema.safeParse({
    environments: { production: { flags: { ...unleash, url: 'ftp://x', token_env: 'my token' } } },
  });
  assert.deepEqual(
    bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    [
      'environments.production.flags.url: must be an http(s) URL',
      'environments.production.flags.token_env: must be an environment variable name',
    ],
  );
});

it('environments without an Unleash keep the embedded store, which a reading verb never creates', async () => {
  const config = configSchema.parse({ environments: { production: { flags: unleash } } });
  const flags = openFlagStores(config, unopened, { UNLEASH_TOKEN: 'secret-token' });
  assert.equal(flags.name, 'embedded+unleash');
  assert.equal(openFlagStores(configSchema.parse({}), unopened).name, 'embedded');
  await flags.dispose?.();
});
