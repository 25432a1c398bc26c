import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEnvironmentOf, resolveEnvironment } from '../../src/core/environments.js';
import { CutoverError } from '../../src/core/errors.js';
import { configSchema } from '../../src/core/schema/config.js';
import { validateValue, validateYamlText } from '../../src/inputs/load-yaml.js';

test('cutover.yaml: manual.apply_to naming its own environment is an input error at its line', () => {
  const yaml = [
    'environments:',
    '  production:',
    '    manual: { apply_to: production }',
    '  staging: { target: { type: local, port: 7081 } }',
  ].join('\n');
  assert.throws(
    () => validateYamlText(yaml, configSchema, 'config', 'cutover.yaml'),
    (err: unknown) =>
      err instanceof CutoverError &&
      err.code === 'E_INVALID_INPUT' &&
      err.message ===
        'config cutover.yaml:3: environments.production.manual.apply_to: must not be production itself: a manual deploy goes live there while it waits for approval; name another environment, e.g. staging',
  );
  // staging declared without manual: is fine as a file; a manual deploy to it is refused at deploy time
  const config = validateValue(
    {
      environments: {
        staging: { target: { type: 'local', port: 7081 } },
        qa: { manual: { apply_to: 'staging' } },
      },
    },
    configSchema,
    'config',
    'cutover.yaml',
  );
  assert.deepEqual(config.environments['staging']!.manual, undefined);
});

// deploy.ts and start-deploy.ts both ask applyEnvironmentOf
test('a manual deploy is applied to manual.apply_to (default staging), never to its own target', () => {
  const config = configSchema.parse({ environments: { qa: { target: { type: 'local', port: 7090 } } } });
  const production = resolveEnvironment(config, 'production');
  assert.equal(production.manual.apply_to, 'staging');
  assert.equal(applyEnvironmentOf(production, 'manual'), 'staging');
  assert.equal(applyEnvironmentOf(production, 'canary'), 'production');
  assert.equal(applyEnvironmentOf(resolveEnvironment(config, 'qa'), 'manual'), 'staging');
  const staging = resolveEnvironment(config, 'staging');
  assert.equal(applyEnvironmentOf(staging, 'fast-track'), 'staging');
  assert.throws(
    () => applyEnvironmentOf(staging, 'manual'),
    (err: unknown) =>
      err instanceof CutoverError &&
      err.code === 'E_INVALID_INPUT' &&
      err.message ===
        'a manual deploy to staging would wait for approval in staging itself (its manual.apply_to): set environments.staging.manual.apply_to in cutover.yaml to another environment, or deploy to staging with fast-track or canary',
  );
  const elsewhere = configSchema.parse({ environments: { staging: { manual: { apply_to: 'qa' } } } });
  assert.equal(applyEnvironmentOf(resolveEnvironment(elsewhere, 'staging'), 'manual'), 'qa');
});

test('an environment named like an Object.prototype member is unknown, not a crash', () => {
  const config = configSchema.parse({});
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    assert.throws(
      () => resolveEnvironment(config, name),
      (err: unknown) =>
        err instanceof CutoverError &&
        err.code === 'E_INVALID_INPUT' &&
        /unknown environment/.test(err.message),
      name,
    );
  }
  const declared = configSchema.parse({ environments: { constructor: {} } });
  assert.throws(
    () => resolveEnvironment(declared, 'constructor'),
    (err: unknown) => err instanceof CutoverError && /target\.port: is required/.test(err.message),
  );
});
