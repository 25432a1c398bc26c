import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assertInputError,
  CHANGESET,
  MARKER,
  STRATEGY,
  useBadInputProject,
  withField,
} from '../support/input-errors.js';

const project = useBadInputProject();

// Each piece below is wrong on its own, so every generated input is: none may deploy.
const numberLike = fc.constantFrom('2.0', '1.10', '142', '0123456', '1e3', '0x1F', '.inf', 'true');
// prettier-ignore
const badDuration = fc.constantFrom('1e308', '9'.repeat(400), '1e3s', '-5', '.nan', '.inf', '721h', '0', 'soon', '"1 h"');
const badPath = fc.constantFrom(
  '"/health HTTP/1.1\\r\\nX: y"',
  'health',
  '"/a b"',
  '"/é"',
  '"/%zz"',
  '"/a#b"',
);

const changesetLine = fc.oneof(
  fc
    .tuple(fc.constantFrom('id', 'version', 'commit', 'feature_flag'), numberLike)
    .map(([key, value]) => `${key}: ${value}`),
  badPath.map((path) => `run: { command: [node, server.mjs], health_path: ${path} }`),
  fc.constantFrom('service: API Orders', "commit: 'xyz'", 'colour: blue', 'dod: [{ step: a, done: yes }]'),
  fc.constantFrom(`"${MARKER}"`, '"a b"', '"x:y"').map((key) => `${key}: 1`),
);
const strategyLine = fc.oneof(
  badDuration.map((value) => `canary: { observe: ${value} }`),
  badDuration.map((value) => `batching: { window: ${value}, observe: ${value} }`),
  fc
    .tuple(fc.constantFrom('deploy', 'approval', 'promotion'), badDuration)
    .map(([name, value]) => `deadlines: { ${name}: { after: ${value} } }`),
  fc.constantFrom('mode: yolo', 'canary: { steps: [5, 150, 25] }', 'analysis: { min_requests: 1e308 }'),
);
const registry = 'type: oci-distribution, username: u, password_env: REGISTRY_PASSWORD';
const configLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('health_timeout', 'drain_timeout'),
      badDuration.filter((d) => d !== '0'),
    )
    .map(
      ([key, value]) =>
        `environments: { production: { target: { type: local, port: 7999, ${key}: ${value} } } }`,
    ),
  badDuration.map((value) => `lock: { ttl: ${value} }`),
  fc.constantFrom(
    'environments: { production: { manual: { apply_to: production } } }',
    `environments: { production: { registry: { ${registry}, url: "http://r/ x" } } }`,
    `environments: { production: { registry: { ${registry}, url: "http://r", verify: yes } } }`,
    'tag: { timestamp: hourly }',
  ),
);
const badFlags = fc.constantFrom<string[]>(
  ['--wait', '800h'],
  ['--wait', '1e308s'],
  ['--wait', 'x'.repeat(300)],
  ['--output', 'xml\r\nInjected: yes'],
  ['--on-interrupted', 'retry'],
  ['--bogus'],
  ['--env'],
);
// prettier-ignore
const notYamlLine = fc
  .array(fc.constantFrom(MARKER, `${MARKER}:`, ': ', '"', '[', '{', '#', '- ', '*', '&', '!', '|', ' ', 'x', '\t'), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

/** One bad input: a broken file among the valid others, or bad flags. */
type BadInput =
  | { kind: 'changeset' | 'strategy' | 'config'; lines: string[] }
  | { kind: 'flags'; flags: string[] }
  | { kind: 'not-yaml'; lines: string[] };

const badInput: fc.Arbitrary<BadInput> = fc.oneof(
  fc
    .array(changesetLine, { minLength: 1, maxLength: 4 })
    .map((lines) => ({ kind: 'changeset' as const, lines })),
  fc
    .array(strategyLine, { minLength: 1, maxLength: 3 })
    .map((lines) => ({ kind: 'strategy' as const, lines })),
  fc.array(configLine, { minLength: 1, maxLength: 2 }).map((lines) => ({ kind: 'config' as const, lines })),
  badFlags.map((flags) => ({ kind: 'flags' as const, flags })),
  fc
    .array(notYamlLine, { minLength: 1, maxLength: 30 })
    .map((lines) => ({ kind: 'not-yaml' as const, lines })),
);

/** Writes the input's files into the project; returns the CLI arguments that use them. */
function argsFor(input: BadInput): string[] {
  const file = (name: string, lines: string[]) => project.write(name, `${lines.join('\n')}\n`);
  const changeset = file('cs.yaml', CHANGESET);
  switch (input.kind) {
    case 'changeset':
      return project.deployArgs(file('gen-cs.yaml', input.lines.reduce(withField, CHANGESET)));
    case 'strategy':
      return project.deployArgs(changeset, file('gen-s.yaml', input.lines.reduce(withField, STRATEGY)));
    case 'config':
      return ['--config', file('gen-config.yaml', input.lines), ...project.deployArgs(changeset)];
    case 'flags':
      return [...project.deployArgs(changeset), ...input.flags];
    case 'not-yaml':
      return project.deployArgs(file('gen-file', input.lines));
  }
}

test('generated bad inputs: every one is exit 2, one summary line and one line per problem', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(badInput, async (input) => {
      runs++;
      const args = argsFor(input);
      assertInputError(await project.cli(args), JSON.stringify({ input, args }));
    }),
    { numRuns: 100, includeErrorInReport: true },
  );
  assert.ok(runs >= 100, `${runs} runs`);
});
