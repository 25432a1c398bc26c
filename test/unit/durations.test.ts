import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CutoverError } from '../../src/core/errors.js';
import { configSchema } from '../../src/core/schema/config.js';
import { strategySchema } from '../../src/core/schema/strategy.js';
import { validateValue } from '../../src/inputs/load-yaml.js';
import { parseSessionFlags } from '../../src/cli/session-options.js';

/** Every duration in the three files, with the document it sits in. */
const FIELDS: Array<{ schema: typeof strategySchema | typeof configSchema; path: string[]; zero: boolean }> =
  [
    { schema: strategySchema, path: ['canary', 'observe'], zero: false },
    { schema: strategySchema, path: ['batching', 'window'], zero: false },
    { schema: strategySchema, path: ['batching', 'observe'], zero: false },
    { schema: strategySchema, path: ['deadlines', 'deploy', 'after'], zero: false },
    { schema: strategySchema, path: ['deadlines', 'approval', 'after'], zero: false },
    { schema: strategySchema, path: ['deadlines', 'promotion', 'after'], zero: false },
    { schema: configSchema, path: ['baseline', 'window'], zero: false },
    { schema: configSchema, path: ['lock', 'ttl'], zero: false },
    { schema: configSchema, path: ['environments', 'production', 'target', 'health_timeout'], zero: false },
    { schema: configSchema, path: ['environments', 'production', 'target', 'drain_timeout'], zero: true },
  ];

function documentWith(schema: unknown, path: string[], value: unknown): Record<string, unknown> {
  const doc: Record<string, unknown> = schema === strategySchema ? { mode: 'canary' } : {};
  let at = doc;
  path.forEach((key, i) => {
    if (i === path.length - 1) at[key] = value;
    else at = (at[key] = key === 'target' ? { type: 'local' } : {}) as Record<string, unknown>;
  });
  return doc;
}

function problemsOf(schema: (typeof FIELDS)[number]['schema'], path: string[], value: unknown): string[] {
  try {
    validateValue(documentWith(schema, path, value), schema, 'file', 'f.yaml');
  } catch (err) {
    assert.ok(err instanceof CutoverError && err.code === 'E_INVALID_INPUT', String(err));
    return err.details.errors as string[];
  }
  return [];
}

const TOO_LONG = 'must be at most 720h (30 days)';
const THIRTY_DAYS_MS = 2_592_000_000;

test('every duration field: infinite, overflowing, 400-digit, negative and NaN values are input errors', () => {
  const cases: Array<[unknown, string]> = [
    [1e308, TOO_LONG],
    [Infinity, TOO_LONG],
    [`${'9'.repeat(400)}s`, TOO_LONG],
    [Number('9'.repeat(400)), TOO_LONG],
    ['721h', TOO_LONG],
    [2_592_001, TOO_LONG],
    ['1e3s', '"1e3s" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
    ['-5s', '"-5s" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
    [-5, '"-5" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
    [NaN, '"NaN" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
    ['x'.repeat(100), `"${'x'.repeat(40)}…" is not a duration (use e.g. 500ms, 30s, 2m, 1h)`],
  ];
  for (const { schema, path } of FIELDS) {
    for (const [value, problem] of cases) {
      assert.deepEqual(
        problemsOf(schema, path, value),
        [`f.yaml: ${path.join('.')}: ${problem}`],
        String(value),
      );
    }
  }
});

test('0 is a duration only where it means "do not wait" (drain_timeout); 30 days is the most', () => {
  for (const { schema, path, zero } of FIELDS) {
    for (const value of [0, '0s', '0.4ms'])
      assert.deepEqual(
        problemsOf(schema, path, value),
        zero ? [] : [`f.yaml: ${path.join('.')}: must be more than 0`],
        `${path.join('.')}: ${value}`,
      );
    assert.deepEqual(problemsOf(schema, path, '720h'), [], path.join('.'));
    assert.deepEqual(problemsOf(schema, path, 2_592_000), [], path.join('.'));
  }
  assert.equal(
    strategySchema.parse({ mode: 'canary', canary: { observe: '720h' } }).canary.observe,
    THIRTY_DAYS_MS,
  );
  assert.equal(strategySchema.parse({ mode: 'canary', canary: { observe: 1.5 } }).canary.observe, 1500);
});

test('--wait: 0 or a duration up to 30 days, else a usage error naming the flag', () => {
  assert.equal(parseSessionFlags({ onInterrupted: 'rollback' }).waitMs, 0);
  assert.equal(parseSessionFlags({ wait: '0s', onInterrupted: 'rollback' }).waitMs, 0);
  assert.equal(parseSessionFlags({ wait: '720h', onInterrupted: 'rollback' }).waitMs, THIRTY_DAYS_MS);
  const cases: Array<[string, string]> = [
    ['800h', `--wait: ${TOO_LONG}`],
    [`${'9'.repeat(400)}s`, `--wait: ${TOO_LONG}`],
    ['1e308s', '--wait: "1e308s" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
    ['soon', '--wait: "soon" is not a duration (use e.g. 500ms, 30s, 2m, 1h)'],
  ];
  for (const [wait, message] of cases)
    assert.throws(
      () => parseSessionFlags({ wait, onInterrupted: 'rollback' }),
      (err: unknown) => err instanceof CutoverError && err.code === 'E_USAGE' && err.message === message,
      wait,
    );
});
