import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliRun } from '../support/cli.js';
import {
  assertInputError,
  CHANGESET,
  MARKER,
  useBadInputProject,
  withField,
} from '../support/input-errors.js';

const project = useBadInputProject();

const deploy = (changeset: string, strategy = 'fast-track', ...extra: string[]) =>
  project.cli([...project.deployArgs(changeset, strategy), ...extra]);

/** The run is an input error printed as exactly this one line. */
async function expectOneLine(run: Promise<CliRun>, line: string): Promise<void> {
  assert.deepEqual(assertInputError(await run, line), [line]);
}

test('durations: infinite, 400-digit, over 30 days or zero are exit 2 naming the field', async () => {
  const cs = project.write('cs.yaml', `${CHANGESET.join('\n')}\n`);
  const observe = (value: string) => project.write('s.yaml', `mode: canary\ncanary: { observe: ${value} }\n`);
  const tooLong =
    'cutover: E_INVALID_INPUT: strategy s.yaml:2: canary.observe: must be at most 720h (30 days)';
  await expectOneLine(deploy(cs, observe('1e308')), tooLong);
  await expectOneLine(deploy(cs, observe('9'.repeat(400))), tooLong);
  await expectOneLine(deploy(cs, observe('800h')), tooLong);
  await expectOneLine(
    deploy(cs, observe('0s')),
    'cutover: E_INVALID_INPUT: strategy s.yaml:2: canary.observe: must be more than 0',
  );
  const config = project.write(
    'health.yaml',
    'environments:\n  production:\n    target: { type: local, port: 7999, health_timeout: 1e308 }\n',
  );
  await expectOneLine(
    project.cli(['--config', config, ...project.deployArgs(cs)]),
    'cutover: E_INVALID_INPUT: config health.yaml:3: environments.production.target.health_timeout: must be at most 720h (30 days)',
  );
  await expectOneLine(
    deploy(cs, 'fast-track', '--wait', '800h'),
    'cutover: E_USAGE: --wait: must be at most 720h (30 days)',
  );
});

test('version: 2.0 and id: 142 are exit 2 with a hint to quote what was written', async () => {
  const lines = withField(withField(CHANGESET, 'version: 2.0'), 'id: 142');
  const run = await deploy(project.write('num.yaml', `${lines.join('\n')}\n`));
  assert.deepEqual(assertInputError(run, 'numbers'), [
    'cutover: E_INVALID_INPUT: changeset num.yaml has 2 problems',
    '  num.yaml:1: id: 142 is a number in YAML, which would become "142"; quote it: id: "142"',
    '  num.yaml:3: version: 2.0 is a number in YAML, which would become "2"; quote it: version: "2.0"',
  ]);
});

test('manual.apply_to: its own environment in cutover.yaml, or the effective pair at deploy time', async () => {
  const cs = project.write('cs.yaml', `${CHANGESET.join('\n')}\n`);
  await expectOneLine(
    project.cli(['deploy', '-c', cs, '--env', 'staging', '--strategy', 'manual']),
    'cutover: E_INVALID_INPUT: a manual deploy to staging would wait for approval in staging itself (its manual.apply_to): set environments.staging.manual.apply_to in cutover.yaml to another environment, or deploy to staging with fast-track or canary',
  );
  const config = project.write(
    'manual.yaml',
    'environments:\n  production:\n    manual: { apply_to: production }\n',
  );
  await expectOneLine(
    project.cli(['--config', config, ...project.deployArgs(cs, 'manual')]),
    'cutover: E_INVALID_INPUT: config manual.yaml:3: environments.production.manual.apply_to: must not be production itself: a manual deploy goes live there while it waits for approval; name another environment, e.g. staging',
  );
});

test('an alias bomb, a 2 MiB file, a device and a health path with CRLF are exit 2, not E_INTERNAL', async () => {
  const lol = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [i, name] of [...'bcdefghi'].entries())
    lol.push(`${name}: &${name} [${new Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
  await expectOneLine(
    deploy(project.write('bomb.yaml', `${lol.join('\n')}\n`)),
    'cutover: E_INVALID_INPUT: changeset bomb.yaml: its aliases expand to too much (over 100 copies): an alias bomb?',
  );
  await expectOneLine(
    deploy(project.write('big.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\n`)),
    'cutover: E_INVALID_INPUT: changeset big.yaml: is larger than 1 MiB, the most an input file may be',
  );
  await expectOneLine(
    deploy('/dev/zero'),
    'cutover: E_INVALID_INPUT: changeset /dev/zero: is not a regular file',
  );
  const crlf = withField(
    CHANGESET,
    'run: { command: [node, server.mjs], health_path: "/health HTTP/1.1\\r\\nX: y" }',
  );
  await expectOneLine(
    deploy(project.write('crlf.yaml', `${crlf.join('\n')}\n`)),
    'cutover: E_INVALID_INPUT: changeset crlf.yaml:8: run.health_path: must be a URL path like /health: no spaces, control or non-ASCII characters, no # (percent-encode them, e.g. %20)',
  );
});

test('a file that is not YAML input is never copied to the terminal', async () => {
  const shadow = [`root:$y$j9T$${MARKER}:20228:0:99999:7:::`, `daemon:*:${MARKER}:0:99999:7:::`];
  await expectOneLine(
    deploy(project.write('shadow', `${shadow.join('\n')}\n`)),
    'cutover: E_INVALID_INPUT: changeset shadow: none of its keys is a changeset key (is it the right file?)',
  );
  await expectOneLine(
    deploy('/proc/self/status'),
    'cutover: E_INVALID_INPUT: changeset /proc/self/status: none of its keys is a changeset key (is it the right file?)',
  );
  await expectOneLine(
    deploy(project.write('passwd', `root:x:0:0:${MARKER}:/root:/bin/bash\n`)),
    'cutover: E_INVALID_INPUT: changeset passwd: is one YAML text value, not key: value lines (is it the right file?)',
  );
  const readme = Array.from({ length: 60 }, (_, i) => `Line ${i}: see ${MARKER}\n\n"${MARKER}" [x] {y}`);
  const lines = assertInputError(await deploy(project.write('README.md', readme.join('\n'))), 'readme');
  assert.match(
    lines[0]!,
    /^cutover: E_INVALID_INPUT: changeset README\.md is not valid YAML \(\d+ problems\)$/,
  );
  await expectOneLine(
    deploy(project.write('binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]))),
    'cutover: E_INVALID_INPUT: changeset binary:1: holds a control character: it is not a YAML text file',
  );
});

test("commander's usage errors are one cutover: E_USAGE line too", async () => {
  await expectOneLine(
    project.cli([...project.deployArgs('cs.yaml'), '--bogus']),
    "cutover: E_USAGE: unknown option '--bogus' (see cutover --help)",
  );
  await expectOneLine(
    project.cli(['frobnicate']),
    "cutover: E_USAGE: unknown command 'frobnicate' (see cutover --help)",
  );
});
