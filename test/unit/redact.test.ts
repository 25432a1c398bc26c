import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactText, redactValue } from '../../src/core/redact.js';
import { configuredSecrets } from '../../src/inputs/secrets.js';
import { configSchema } from '../../src/core/schema/config.js';

test('every occurrence of every secret is replaced, longest first; short ones are left alone', () => {
  assert.equal(redactText('pw=hunter22 again hunter22', ['hunter22']), 'pw=*** again ***');
  assert.equal(redactText('token abcdef123456', ['abcdef', 'abcdef123456']), 'token ***');
  assert.equal(redactText('a b c', ['b']), 'a b c');
});

test('redactValue copies only what changed', () => {
  const clean = { a: 'x', b: [1, 'y'] };
  assert.equal(redactValue(clean, ['secret-value']), clean);
  const dirty = { a: 'x', b: [1, 'the secret-value here'], c: { d: 'secret-value' } };
  assert.deepEqual(redactValue(dirty, ['secret-value']), { a: 'x', b: [1, 'the *** here'], c: { d: '***' } });
  assert.equal(dirty.c.d, 'secret-value');
});

test('configuredSecrets reads the value of every *_env key in cutover.yaml', () => {
  const config = configSchema.parse({
    environments: {
      production: {
        registry: { type: 'oci-distribution', url: 'http://r:5000', username: 'u', password_env: 'REG_PW' },
      },
    },
  });
  assert.deepEqual(configuredSecrets(config, { REG_PW: 'p4ssw0rd!', OTHER: 'x' }), ['p4ssw0rd!']);
  assert.deepEqual(configuredSecrets(config, {}), []);
});

test("configuredSecrets adds a database URL's password, as written and decoded", () => {
  const config = configSchema.parse({ state: { type: 'postgres', url_env: 'DB_URL' } });
  const url = 'postgres://cutover:p%40ss@db.example:5432/cutover?sslmode=verify-full';
  assert.deepEqual(configuredSecrets(config, { DB_URL: url }), [url, 'p%40ss', 'p@ss']);
  assert.deepEqual(configuredSecrets(config, { DB_URL: 'postgres://cutover@db/cutover' }), [
    'postgres://cutover@db/cutover',
  ]);
});
