import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CutoverError } from '../../src/core/errors.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import { configSchema } from '../../src/core/schema/config.js';
import { validateYamlText } from '../../src/inputs/load-yaml.js';

const CHANGESET = [
  "id: '142'",
  'service: shop',
  "version: '2.4.0'",
  "commit: 'abc1234'",
  'source: ./app',
  'feature_flag: ff-shop',
];

/** The error a text gets as a changeset: its one-line message and its problem lines. */
function errorOf(text: string, schema: typeof changesetSchema | typeof configSchema = changesetSchema) {
  try {
    validateYamlText(text, schema, 'changeset', 'cs.yaml');
  } catch (err) {
    assert.ok(err instanceof CutoverError, String(err));
    assert.equal(err.code, 'E_INVALID_INPUT');
    return { message: err.message, errors: err.details.errors as string[] };
  }
  assert.fail('expected an input error');
}

const withLine = (line: number, text: string) =>
  [...CHANGESET.slice(0, line - 1), text, ...CHANGESET.slice(line)].join('\n');

test('an identity written as a YAML number is refused with a hint quoting what was written', () => {
  assert.deepEqual(errorOf(withLine(3, 'version: 2.0')), {
    message:
      'changeset cs.yaml:3: version: 2.0 is a number in YAML, which would become "2"; quote it: version: "2.0"',
    errors: ['cs.yaml:3: version: 2.0 is a number in YAML, which would become "2"; quote it: version: "2.0"'],
  });
  assert.deepEqual(errorOf(withLine(3, 'version: 1.10')).errors, [
    'cs.yaml:3: version: 1.10 is a number in YAML, which would become "1.1"; quote it: version: "1.10"',
  ]);
  assert.deepEqual(errorOf(withLine(1, 'id: 142')).errors, [
    'cs.yaml:1: id: 142 is a number in YAML, which would become "142"; quote it: id: "142"',
  ]);
  assert.deepEqual(errorOf(withLine(4, 'commit: 0123456')).errors, [
    'cs.yaml:4: commit: 0123456 is a number in YAML, which would become "123456"; quote it: commit: "0123456"',
  ]);
  assert.deepEqual(errorOf([...CHANGESET, 'run: { env: { APP_VERSION: 2.0, DEBUG: true } }'].join('\n')), {
    message: 'changeset cs.yaml has 2 problems',
    errors: [
      'cs.yaml:7: run.env.APP_VERSION: 2.0 is a number in YAML, which would become "2"; quote it: APP_VERSION: "2.0"',
      'cs.yaml:7: run.env.DEBUG: true is a boolean in YAML, not text; quote it: DEBUG: "true"',
    ],
  });
});

test('a billion-laughs alias bomb and an alias to nothing are input errors, not internal ones', () => {
  const lol = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries())
    lol.push(`${name}: &${name} [${new Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
  assert.deepEqual(errorOf(lol.join('\n')).errors, [
    'cs.yaml: its aliases expand to too much (over 100 copies): an alias bomb?',
  ]);
  assert.deepEqual(errorOf(`${CHANGESET.join('\n')}\nrun: { command: *nowhere }`).errors, [
    'cs.yaml: an alias (*name) has no anchor (&name) before it',
  ]);
  // A few aliases, as people use them, are fine.
  const config = 'x-target: &t { type: local, port: 9000 }\nenvironments: { production: { target: *t } }\n';
  assert.deepEqual(errorOf(config, configSchema).errors, ['cs.yaml:1: x-target: unknown key']);
});

test('syntax errors say where and what, one line each, never quoting the file', () => {
  assert.deepEqual(errorOf('id: "1"\nservice: shop\n  version: [1.0\n'), {
    message: 'changeset cs.yaml is not valid YAML (3 problems)',
    errors: [
      'cs.yaml:2:10: Nested mappings are not allowed in compact mappings',
      'cs.yaml:2:10: Implicit keys need to be on a single line',
      'cs.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  });
  assert.deepEqual(errorOf('id: "1"\nnotes: "hunter2 is\\q my password"\n'), {
    message: 'changeset cs.yaml:2:19: not valid YAML: invalid escape sequence in a double-quoted string',
    errors: ['cs.yaml:2:19: not valid YAML: invalid escape sequence in a double-quoted string'],
  });
  assert.deepEqual(errorOf("id: 'a'\n---\nid: 'b'\n").errors, [
    'cs.yaml:2:1: not valid YAML: holds several YAML documents (---); an input file is one',
  ]);
  assert.deepEqual(errorOf('|hunter2 s3cr3t\n').errors, [
    'cs.yaml:1:2: Block scalar header includes extra characters',
    'cs.yaml:1:10: Not a YAML token',
  ]);
});

test('a file that is not a mapping says what it reads as, without quoting it', () => {
  assert.deepEqual(errorOf('root:x:0:0:root:/root:/bin/bash\n').errors, [
    'cs.yaml: is one YAML text value, not key: value lines (is it the right file?)',
  ]);
  assert.deepEqual(errorOf('- hunter2\n- swordfish\n').errors, [
    'cs.yaml: is a YAML list, not key: value lines (is it the right file?)',
  ]);
  // /etc/shadow's lines happen to be YAML keys: none is a changeset key, so nothing is listed.
  assert.deepEqual(errorOf('root:$y$j9T$hunter2:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n').errors, [
    'cs.yaml: none of its keys is a changeset key (is it the right file?)',
  ]);
  // /proc/self/status: every key is a name, none a changeset key — one line too, no key listed.
  const status = ['Name:\tcat', 'Umask:\t0022', 'State:\tR (running)', 'Tgid:\t4242', 'VmRSS:\t 1732 kB'];
  assert.deepEqual(errorOf(`${status.join('\n')}\n`), {
    message: 'changeset cs.yaml: none of its keys is a changeset key (is it the right file?)',
    errors: ['cs.yaml: none of its keys is a changeset key (is it the right file?)'],
  });
  // One unknown name alone reads as a typo in a sparse file (every config key is optional): named.
  assert.deepEqual(errorOf('enviroments: {}\n', configSchema).errors, [
    'cs.yaml:1: enviroments: unknown key',
  ]);
  // Beside known keys, a key that is not a name is an unknown key at its line, not shown.
  assert.deepEqual(errorOf(`${CHANGESET.join('\n')}\ncolour: blue\n"hunter2 is: here": 1\n`).errors, [
    'cs.yaml:7: colour: unknown key',
    'cs.yaml:8: unknown key (not shown: not a name)',
  ]);
});

test('property: a text that is not a changeset never has its content echoed', () => {
  // No part of it is a name: an anchor (`&hunter2`) or a tag cannot leave a name-like key behind.
  const SECRET = 'hunter2@s3cr3t';
  // prettier-ignore
  const syntax = [':', ': ', '::', '*', '&', '!', '%', '@', '`', '|', '>', '"', "'", '[', ']', '{', '}', ',', '?',
    '- ', '#', '=', ' ', '  ', '\t', '\\', '$', 'root', 'x', '0', '1.5', 'id', 'version'];
  const fragment = fc.constantFrom(SECRET, SECRET, ...syntax);
  const line = fc.array(fragment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
  const text = fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => lines.join('\n'));
  fc.assert(
    fc.property(text, (source) => {
      let thrown: unknown;
      try {
        validateYamlText(source, changesetSchema, 'changeset', 'cs.yaml');
      } catch (err) {
        thrown = err;
      }
      assert.ok(thrown instanceof CutoverError && thrown.code === 'E_INVALID_INPUT', String(thrown));
      const printed = [thrown.message, ...(thrown.details.errors as string[])].join('\n');
      assert.ok(!printed.includes('hunter2') && !printed.includes('s3cr3t'), printed);
    }),
    { numRuns: 2000 },
  );
});
