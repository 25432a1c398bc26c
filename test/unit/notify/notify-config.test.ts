import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CutoverError } from '../../../src/core/errors.js';
import { configSchema } from '../../../src/core/schema/config.js';
import { validateYamlText } from '../../../src/inputs/load-yaml.js';

function problems(yaml: string): string {
  try {
    validateYamlText(yaml, configSchema, 'config', 'cutover.yaml');
  } catch (err) {
    assert.ok(err instanceof CutoverError && err.code === 'E_INVALID_INPUT', String(err));
    return [err.message, ...((err.details as { errors?: string[] }).errors ?? [])].join('\n');
  }
  return 'valid';
}

test('cutover.yaml notify: event names are checked against the journal event types, at their line', () => {
  const yaml = [
    'notify:',
    '  - url: https://hooks.example.com/cutover',
    '    events: [DEPLOY_FAILED, DEPLOY_FAILD, AWAITING_APPROVAL]',
    '    secret_env: HOOK_SECRET',
  ].join('\n');
  assert.match(
    problems(yaml),
    /cutover\.yaml:3: notify\[0\]\.events\[1\]: unknown event "DEPLOY_FAILD": must be a journal event type/,
  );
});

test('cutover.yaml notify: url, secret_env, a repeated URL and unknown environments are refused with their paths', () => {
  const yaml = [
    'notify:',
    '  - { url: "ftp://x", events: [DEPLOY_FAILED], secret_env: "not a name" }',
    '  - { url: "https://a.example/h", events: [], secret_env: K }',
    '  - { url: "https://a.example/h", events: [DEPLOY_SUCCEEDED], secret_env: K, environments: [prod] }',
  ].join('\n');
  const found = problems(yaml);
  assert.match(found, /notify\[0\]\.url: must be an http\(s\) URL/);
  assert.match(found, /notify\[0\]\.secret_env: must be the name of an environment variable/);
  assert.match(found, /notify\[1\]\.events: must list at least one event/);
  assert.match(found, /notify\[2\]\.url: the same URL as notify\[1\]: list its events in one entry/);
  assert.match(
    found,
    /notify\[2\]\.environments\[0\]: unknown environment "prod": one of production, staging/,
  );
});

test('cutover.yaml notify: a valid entry parses, environments optional', () => {
  const config = configSchema.parse({
    notify: [
      {
        url: 'http://127.0.0.1:9/h',
        events: ['AWAITING_APPROVAL'],
        secret_env: 'K',
        environments: ['staging'],
      },
    ],
  });
  assert.deepEqual(config.notify[0]!.environments, ['staging']);
  assert.deepEqual(configSchema.parse({}).notify, []);
});
