import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { deployArgs, type CliRun } from './cli.js';
import { makeProject } from './project.js';

/** A secret every run has in its environment: the configs below name it in password_env. */
export const SECRET = 'pw-3f9a1c77e2';
/** Text of files that are not inputs; no part of it is a name (see core/schema/issues.ts). */
export const MARKER = 'shadow@9Zq!x';

/** A valid changeset, line by line, for tests to break one line at a time. */
export const CHANGESET = [
  "id: 'bad-1'",
  'service: shop',
  "version: '1.0.0'",
  "commit: '1234567'",
  'source: ./app',
  'feature_flag: ff-shop',
  'rollback_plan: { kind: previous-version }',
  'run: { command: [node, server.mjs], health_path: /health }',
];
export const STRATEGY = ['mode: canary', 'canary: { steps: [5], observe: 10s }'];

/** `lines` with the line starting `key:` replaced by `line`, or `line` appended when there is none. */
export function withField(lines: string[], line: string): string[] {
  const key = line.slice(0, line.indexOf(':') + 1);
  const at = lines.findIndex((l) => l.startsWith(key));
  return at < 0 ? [...lines, line] : lines.map((l, i) => (i === at ? line : l));
}

/**
 * For a test file: a project to run the CLI on bad inputs, made before its tests and disposed
 * after them. Files are written into it by name, every run has {@link SECRET} in
 * REGISTRY_PASSWORD. Nothing may get past validation there: a run that deployed would start a
 * runtime daemon (the dispose stops it).
 */
export function useBadInputProject() {
  let project: Awaited<ReturnType<typeof makeProject>>;
  before(async () => {
    project = await makeProject();
  });
  after(() => project.dispose());
  return {
    cli: (args: string[]): Promise<CliRun> => project.cli(args, { REGISTRY_PASSWORD: SECRET }),
    write(name: string, text: string | Buffer): string {
      writeFileSync(join(project.dir, name), text);
      return name;
    },
    deployArgs,
  };
}

/**
 * The shape of every input error: exit 2, nothing on stdout, `cutover: E_…: message` on the first
 * line, then (for several problems) one indented line each, as many as the summary says (the
 * first 20); no stack trace, no control character, no secret, nothing of a file that is not YAML.
 * Returns the lines.
 */
export function assertInputError(run: CliRun, context: string): string[] {
  const why = `${context}\n--- stderr:\n${run.stderr}`;
  assert.equal(run.code, 2, why);
  assert.equal(run.stdout, '', why);
  assert.ok(run.stderr.endsWith('\n'), why);
  const lines = run.stderr.slice(0, -1).split('\n');
  assert.match(lines[0]!, /^cutover: E_[A-Z_]+: \S/, why);
  assert.doesNotMatch(run.stderr, /E_INTERNAL|^\s+at |Error:|Warning/m, why);
  // eslint-disable-next-line no-control-regex -- no control character but the line ends
  assert.doesNotMatch(run.stderr, /[\x00-\x09\x0b-\x1f\x7f]/, why);
  assert.ok(!run.stderr.includes(SECRET) && !run.stderr.includes(MARKER), why);
  const problems = lines.slice(1);
  if (problems.length === 0) return lines;
  const count = Number(/(\d+) problems\)?$/.exec(lines[0]!)?.[1]);
  assert.ok(count >= 2, why);
  const listed = Math.min(count, 20);
  assert.equal(problems.length, listed + (count > 20 ? 1 : 0), why);
  for (const line of problems.slice(0, listed)) assert.match(line, /^ {2}\S/, why);
  if (count > 20) assert.equal(problems[20], `  … and ${count - 20} more`, why);
  return lines;
}
