import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { fromCommander, inputErrorLines, oneLine } from '../../src/cli/error-lines.js';
import { CutoverError } from '../../src/core/errors.js';

test('one problem is one line; several are a summary and one indented line each, the first 20', () => {
  const one = new CutoverError('E_INVALID_INPUT', 'changeset cs.yaml:3: version: bad', { errors: ['x'] });
  assert.deepEqual(inputErrorLines(one), ['cutover: E_INVALID_INPUT: changeset cs.yaml:3: version: bad']);
  const problems = Array.from({ length: 23 }, (_, i) => `cs.yaml:${i + 1}: k${i}: unknown key`);
  const many = new CutoverError('E_INVALID_INPUT', 'changeset cs.yaml has 23 problems', { errors: problems });
  assert.deepEqual(inputErrorLines(many), [
    'cutover: E_INVALID_INPUT: changeset cs.yaml has 23 problems',
    ...problems.slice(0, 20).map((p) => `  ${p}`),
    '  … and 3 more',
  ]);
});

test('line breaks, terminal escapes and other control characters are escaped, never printed', () => {
  assert.equal(oneLine('a\r\nb\tc\x1b[31md\x00\x9b\u2028'), 'a\\r\\nb\\tc\\u001b[31md\\u0000\\u009b\\u2028');
  const error = new CutoverError('E_USAGE', '--env: unknown environment "x\ny"', {
    errors: ['a\nb', 'c'],
  });
  assert.deepEqual(inputErrorLines(error), [
    'cutover: E_USAGE: --env: unknown environment "x\\ny"',
    '  a\\nb',
    '  c',
  ]);
});

test("commander's usage errors become E_USAGE without its 'error: ' prefix", () => {
  const error = fromCommander(
    new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"),
  );
  assert.equal(error.code, 'E_USAGE');
  assert.equal(error.message, "unknown option '--x' (see cutover --help)");
});
