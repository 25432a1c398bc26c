import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import { strategySchema } from '../../src/core/schema/strategy.js';
import { configSchema } from '../../src/core/schema/config.js';
import { validateValue } from '../../src/inputs/load-yaml.js';
import { CutoverError } from '../../src/core/errors.js';
import { z } from 'zod';

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CutoverError);
    assert.equal(err.code, 'E_INVALID_INPUT');
    return err.details.errors as string[];
  }
  assert.fail('expected a validation error');
}

const validChangeset = {
  id: '142',
  service: 'api-orders',
  version: '2.4.0',
  commit: 'abc1234f9e',
  source: './app',
  feature_flag: 'ff-142-api-orders',
};

test('a minimal changeset gets its defaults', () => {
  const cs = changesetSchema.parse(validChangeset);
  assert.equal(cs.id, '142');
  assert.deepEqual(cs.run, { command: ['npm', 'start'], health_path: '/health', env: {} });
  assert.deepEqual(cs.dod, []);
});

test('every changeset problem is reported at once as path: message', () => {
  const errors = errorsOf(() =>
    validateValue(
      {
        ...validChangeset,
        service: 'API Orders',
        commit: 'xyz',
        extra: 1,
        dod: [{ step: 'a', done: 'yes' }],
      },
      changesetSchema,
      'changeset',
      'cs.yaml',
    ),
  );
  assert.deepEqual(errors, [
    'cs.yaml: service: must be a lowercase DNS label (a-z, 0-9, -)',
    'cs.yaml: commit: must be a hex commit sha of at least 7 characters',
    'cs.yaml: dod[0].done: expected boolean, received string',
    'cs.yaml: extra: unknown key',
  ]);
});

test('source or build is required', () => {
  const { source: _s, ...noSource } = validChangeset;
  assert.deepEqual(
    errorsOf(() => validateValue(noSource, changesetSchema, 'changeset', 'cs.yaml')),
    ['cs.yaml: source: is required (or give build: {command, output})'],
  );
});

test('strategy: durations in ms, canary steps validated', () => {
  const s = strategySchema.parse({ mode: 'canary', canary: { steps: [5, 25, 100], observe: '2m' } });
  assert.equal(s.canary.observe, 120_000);
  assert.equal(s.batching.window, 600_000);
  assert.deepEqual(
    errorsOf(() =>
      validateValue(
        { mode: 'canary', canary: { steps: [5, 150, 25], observe: 'soon' } },
        strategySchema,
        'strategy',
        's.yaml',
      ),
    ),
    [
      's.yaml: canary.steps[1]: must be between 1 and 100',
      's.yaml: canary.steps: must be strictly increasing',
      's.yaml: canary.observe: "soon" is not a duration (use e.g. 500ms, 30s, 2m, 1h)',
    ],
  );
  assert.deepEqual(
    errorsOf(() => validateValue({ mode: 'yolo' }, strategySchema, 'strategy', 's.yaml')),
    ['s.yaml: mode: expected one of "fast-track"|"canary"|"manual"'],
  );
});

test('config: partial files keep every other default', () => {
  const c = configSchema.parse({ environments: { production: { target: { type: 'local', port: 9000 } } } });
  assert.equal(c.dod.steps.length, 9);
  assert.equal(c.environments['production']!.target.health_timeout, 30_000);
  assert.equal(c.environments['production']!.registry.type, 'oci-layout');
});

test('config: lock.ttl is a duration, 30s unless set', () => {
  assert.equal(configSchema.parse({}).lock.ttl, 30_000);
  assert.equal(configSchema.parse({ lock: { ttl: '2m' } }).lock.ttl, 120_000);
  assert.deepEqual(
    errorsOf(() =>
      validateValue({ lock: { ttl: 'forever', owner: 'me' } }, configSchema, 'config', 'cutover.yaml'),
    ),
    [
      'cutover.yaml: lock.ttl: "forever" is not a duration (use e.g. 500ms, 30s, 2m, 1h)',
      'cutover.yaml: lock.owner: unknown key',
    ],
  );
  const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as any;
  assert.deepEqual(Object.keys(json.properties.lock.properties), ['ttl']);
});

test('run.resources and target.runner: sizes, positive cpus, and the two runners only', () => {
  const cs = changesetSchema.parse({ ...validChangeset, run: { resources: { memory: '256m', cpus: 0.5 } } });
  assert.deepEqual(cs.run.resources, { memory: '256m', cpus: 0.5 });
  const errors = errorsOf(() =>
    validateValue(
      { ...validChangeset, run: { resources: { memory: 'lots', cpus: 0, disk: 1 } } },
      changesetSchema,
      'changeset',
      'cs.yaml',
    ),
  );
  assert.ok(
    errors.some((e) => /run\.resources\.memory: must be a size such as 256m or 1g/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /run\.resources\.cpus/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /run\.resources.*disk/.test(e)),
    errors.join('\n'),
  );
  const config = configSchema.parse({ environments: { production: {} } });
  assert.equal(config.environments.production!.target.runner, 'process');
  const bad = errorsOf(() =>
    validateValue(
      { environments: { production: { target: { type: 'local', runner: 'docker' } } } },
      configSchema,
      'config',
      'cutover.yaml',
    ),
  );
  assert.ok(
    bad.some((e) => /environments\.production\.target\.runner/.test(e)),
    bad.join('\n'),
  );
});

test('config: state is the state dir’s SQLite unless it names PostgreSQL and the variable holding its URL', () => {
  assert.deepEqual(configSchema.parse({}).state, { type: 'sqlite' });
  assert.deepEqual(configSchema.parse({ state: { type: 'postgres' } }).state, {
    type: 'postgres',
    url_env: 'CUTOVER_DATABASE_URL',
  });
  const named = configSchema.parse({ state: { type: 'postgres', url_env: 'TEAM_DB_URL' } });
  assert.deepEqual(named.state, { type: 'postgres', url_env: 'TEAM_DB_URL' });
  assert.deepEqual(
    errorsOf(() =>
      validateValue(
        { state: { type: 'postgres', url_env: 'postgres://u:p@db/x', url: 'postgres://u:p@db/x' } },
        configSchema,
        'config',
        'cutover.yaml',
      ),
    ),
    [
      'cutover.yaml: state.url_env: must be the name of an environment variable',
      'cutover.yaml: state.url: unknown key',
    ],
    'a URL where the variable’s name belongs is refused without being quoted',
  );
});
