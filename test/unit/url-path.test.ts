import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CutoverError } from '../../src/core/errors.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import { configSchema } from '../../src/core/schema/config.js';
import { validateValue } from '../../src/inputs/load-yaml.js';

const changeset = (healthPath: string) => ({
  id: '1',
  service: 'shop',
  version: '1.0.0',
  commit: 'abcdef1',
  source: '.',
  feature_flag: 'ff',
  run: { health_path: healthPath },
});

function problemsOf(value: unknown, schema: typeof changesetSchema | typeof configSchema): string[] {
  try {
    validateValue(value, schema, 'changeset', 'cs.yaml');
  } catch (err) {
    assert.ok(err instanceof CutoverError && err.code === 'E_INVALID_INPUT', String(err));
    return err.details.errors as string[];
  }
  return [];
}

const NOT_A_PATH =
  'cs.yaml: run.health_path: must be a URL path like /health: no spaces, control or non-ASCII characters, no # (percent-encode them, e.g. %20)';

test('run.health_path: a request line injection, spaces, control bytes and non-ASCII are input errors', () => {
  for (const path of [
    '/health HTTP/1.1\r\nX: y',
    '/he alth',
    '/health\n',
    '/h\x00',
    '/h\x7f',
    '/é',
    '/a#top',
  ])
    assert.deepEqual(problemsOf(changeset(path), changesetSchema), [NOT_A_PATH], JSON.stringify(path));
  assert.deepEqual(problemsOf(changeset('health'), changesetSchema), [
    'cs.yaml: run.health_path: must start with /',
  ]);
  assert.deepEqual(problemsOf(changeset('/a%zz'), changesetSchema), [
    'cs.yaml: run.health_path: has a % that is not followed by two hex digits',
  ]);
  assert.deepEqual(problemsOf(changeset(`/${'a'.repeat(2048)}`), changesetSchema), [
    'cs.yaml: run.health_path: must be at most 2048 characters',
  ]);
  for (const path of ['/health', '/', '/ready?deep=1&x=%20y', "/a/b;c=d/~e:f@g!$'()*+,"])
    assert.deepEqual(problemsOf(changeset(path), changesetSchema), [], path);
});

test('property: every accepted health path is printable ASCII without spaces, starting with /', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (tail) => {
      const path = `/${tail}`;
      if (problemsOf(changeset(path), changesetSchema).length === 0)
        assert.match(path, /^\/[!-~]*$/, JSON.stringify(path));
    }),
    { numRuns: 2000 },
  );
});

test('a registry url with a space or a control byte is refused, not percent-encoded by URL()', () => {
  const registry = (url: string) => ({
    environments: { production: { registry: { type: 'oci-distribution', url } } },
  });
  for (const url of ['http://registry.local:5000/ x', 'http://registry.local/\u0000'])
    assert.deepEqual(problemsOf(registry(url), configSchema), [
      'cs.yaml: environments.production.registry.url: must be an http(s) URL',
    ]);
  assert.deepEqual(problemsOf(registry('http://127.0.0.1:5000'), configSchema), []);
});
