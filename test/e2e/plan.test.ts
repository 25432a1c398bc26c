import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planDocumentSchema } from '../../src/core/schema/plan.js';
import type { CliRun } from '../support/cli.js';
import { flagState, serving } from '../support/env-state.js';
import { checkJsonSchema } from '../support/json-schema.js';
import { holdLock } from '../support/lock-holder.js';
import { makeProject } from '../support/project.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/orders-api/', import.meta.url));
const example = (name: string) => join(EXAMPLES, name);
/** Every strategy file in the examples, found by what it holds rather than listed by hand. */
const STRATEGY_FILES = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml') && /^mode:/m.test(readFileSync(example(f), 'utf8')))
  .map(example);
const FLAGS = ['ff-142-api-orders', 'ff-143-api-orders-pagination', 'ff-144-api-orders-bulk'];
const NEXT = example('changeset-2.4.1.yaml');

let project: Awaited<ReturnType<typeof makeProject>>;
let jsonSchema: Record<string, unknown>;
before(async () => {
  project = await makeProject();
  for (const flag of FLAGS) assert.equal((await project.cli(['flags', 'create', flag])).code, 0);
  const live = await project.deploy(example('changeset.yaml'), 'fast-track');
  assert.equal(live.code, 0, live.stderr);
  const printed = await project.cli(['schema', 'plan']);
  assert.equal(printed.code, 0, printed.stderr);
  jsonSchema = JSON.parse(printed.stdout);
});
after(() => project.dispose());

const plan = (changesets: string[], strategy: string, ...extra: string[]) =>
  project.cli([
    'plan',
    ...changesets.flatMap((c) => ['-c', c]),
    '--env',
    'production',
    '--strategy',
    strategy,
    ...extra,
  ]);

/** The plan document of a `--output json` run, checked against the zod schema and the printed JSON Schema. */
function validPlan(run: CliRun) {
  const doc: unknown = JSON.parse(run.stdout);
  const parsed = planDocumentSchema.parse(doc);
  assert.deepEqual(checkJsonSchema(jsonSchema, doc), []);
  return parsed.plan;
}

/** Every file under `dir` by path: sha256, size and mtime (ns). The runtime's own files are left out. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(dir, 'runtime')) walk(path);
      } else if (entry.isFile()) {
        const { size, mtimeNs } = statSync(path, { bigint: true });
        files[relative(dir, path)] =
          `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${size} ${mtimeNs}`;
      }
    }
  };
  walk(dir);
  return files;
}

test('the JSON Schema checker is not vacuous: a plan with a stray or missing field fails it', async () => {
  const run = await plan([NEXT], 'canary', '--output', 'json');
  const doc = JSON.parse(run.stdout);
  assert.deepEqual(checkJsonSchema(jsonSchema, doc), []);
  doc.plan.batches[0].steps[0].extra = 1;
  delete doc.plan.ends_with;
  const errors = checkJsonSchema(jsonSchema, doc);
  assert.ok(errors.includes('$.plan: lacks ends_with'), errors.join('\n'));
  assert.ok(
    errors.some((e) => e.startsWith('$.plan.batches[0].steps[0]')),
    errors.join('\n'),
  );
});

for (const strategy of [...STRATEGY_FILES, 'fast-track', 'canary', 'manual']) {
  const name = strategy.startsWith('/') ? relative(EXAMPLES, strategy) : strategy;
  test(`plan with ${name}: exit 0, the timeline named step by step, JSON valid against both schemas`, async () => {
    const text = await plan([NEXT], strategy);
    assert.equal(text.code, 0, text.stderr);
    const mode = strategy.startsWith('/')
      ? /^mode: (\S+)/m.exec(readFileSync(strategy, 'utf8'))![1]!
      : strategy;
    assert.match(
      text.stdout,
      new RegExp(
        `^cutover plan \\(nothing was changed\\): api-orders 2\\.4\\.1 → production \\(${mode}\\); the deploy would start`,
      ),
    );
    for (const step of ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG'])
      assert.match(text.stdout, new RegExp(`^  ${step} +\\S`, 'm'), `${step} in:\n${text.stdout}`);
    assert.match(text.stdout, /^ {2}ok {3}DoD complete \(9\/9\)$/m);
    const now = mode === 'manual' ? 'staging now: nothing' : 'production now: 2\\.4\\.0-abc1234-\\d{8} 100 %';
    assert.match(text.stdout, new RegExp(`^serving ${now}$`, 'm'));
    assert.match(text.stdout, /^ {2}if batch 1 fails, the rollback runs$/m);

    const json = await plan([NEXT], strategy, '--output', 'json');
    assert.equal(json.code, 0, json.stderr);
    const p = validPlan(json);
    assert.equal(p.mode, mode);
    assert.equal(p.would_start, true);
    assert.match(p.batches[0]!.tag, /^2\.4\.1-def5678-\d{8}$/);
    const undo = p.batches[0]!.rollback.after_flag.map((a) => a.action);
    assert.deepEqual(undo, ['ROLLBACK_FLAG', 'ROLLBACK_APPLY']);
    const kinds = p.batches[0]!.steps.map((s) => s.step);
    if (mode === 'canary') {
      assert.ok(kinds.includes('ANALYSIS'), kinds.join());
      assert.match(text.stdout, /^ {2}ANALYSIS +at step 5 % for /m);
    }
    if (mode === 'manual') {
      assert.equal(p.apply_environment, 'staging');
      assert.deepEqual(kinds.at(-1), 'AWAIT');
    }
  });
}

test('a train of the three example changesets: one batch each, and the rollback if batch k failed', async () => {
  const changesets = ['changeset.yaml', 'changeset-2.4.1.yaml', 'changeset-bad.yaml'].map(example);
  const run = await plan(changesets, STRATEGY_FILES[0]!, '--output', 'json');
  assert.equal(run.code, 0, run.stderr);
  const p = validPlan(run);
  assert.deepEqual(
    p.batches.map((b) => b.changeset),
    ['142', '143', '144'],
  );
  assert.deepEqual(
    p.batches.map((b) =>
      b.rollback.after_flag.map((a) => (a.action === 'ROLLBACK_FLAG' ? `flag#${a.batch}` : 'traffic')),
    ),
    [
      ['flag#1', 'traffic'],
      ['flag#2', 'flag#1', 'traffic'],
      ['flag#3', 'flag#2', 'flag#1', 'traffic'],
    ],
  );
  const back = p.batches[2]!.rollback.after_flag.at(-1)!;
  assert.ok(back.action === 'ROLLBACK_APPLY');
  assert.match(back.to.map((w) => `${w.tag} ${w.weight}`).join(), /^2\.4\.0-abc1234-\d{8} 100$/);
});

test('a changeset whose preflight fails: exit 1, the failing checks named', async () => {
  const text = readFileSync(NEXT, 'utf8')
    .replace('{ step: load-test, done: true }', '{ step: load-test, done: false }')
    .replace('ff-143-api-orders-pagination', 'ff-nobody-created');
  const path = join(project.dir, 'not-ready.yaml');
  writeFileSync(path, text);
  const run = await plan([path], 'canary');
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /preflight would ABORT the deploy/);
  assert.match(run.stdout, /^ {2}FAIL DoD incomplete \(8\/9\): load-test$/m);
  assert.match(run.stdout, /^ {2}FAIL feature flag "ff-nobody-created" does not exist in the flag store$/m);
  const json = await plan([path], 'canary', '--output', 'json');
  assert.equal(json.code, 1);
  const p = validPlan(json);
  assert.equal(p.would_start, false);
  assert.deepEqual(
    p.preflight.checks.filter((c) => !c.ok).map((c) => c.name),
    ['dod', 'feature_flag'],
  );
});

test('a malformed strategy file: exit 2, one line naming the problem, no stack trace', async () => {
  const path = join(project.dir, 'broken.yaml');
  writeFileSync(path, 'mode: canary\ncanary: { steps: [5, 200] }\n');
  const run = await plan([NEXT], path);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0]!,
    /^cutover: E_INVALID_INPUT: .*broken\.yaml:2: canary\.steps\[1\]: must be between 1 and 100$/,
  );
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});

test('plan changes nothing: no journal row, no image pushed, flags, queue and traffic as they were', async () => {
  const submitted = await project.cli(['submit', NEXT, '--env', 'production', '--strategy', 'canary']);
  assert.equal(submitted.code, 0, submitted.stderr);
  const files = filesOf(project.stateDir);
  const deploys = (await project.cli(['status', '--output', 'json'])).stdout;
  const flags = await Promise.all(FLAGS.map((f) => flagState(project.cli, f)));
  const routed = await serving(project.cli);
  const images = readdirSync(join(project.stateDir, 'registry', 'api-orders', 'blobs', 'sha256')).sort();

  for (const strategy of [...STRATEGY_FILES, 'fast-track', 'canary', 'manual'])
    assert.equal((await plan([NEXT], strategy)).code, 0);
  const queued = await project.cli(['plan', '--queued', '--env', 'production', '--output', 'json']);
  assert.equal(queued.code, 0, queued.stderr);
  assert.deepEqual(
    validPlan(queued).batches.map((b) => b.changeset),
    ['143'],
  );

  assert.deepEqual(filesOf(project.stateDir), files);
  assert.equal((await project.cli(['status', '--output', 'json'])).stdout, deploys);
  assert.deepEqual(await Promise.all(FLAGS.map((f) => flagState(project.cli, f))), flags);
  assert.deepEqual(await serving(project.cli), routed);
  assert.deepEqual(
    readdirSync(join(project.stateDir, 'registry', 'api-orders', 'blobs', 'sha256')).sort(),
    images,
  );
});

test('plan on a state dir that does not exist yet creates nothing', async () => {
  const fresh = join(project.dir, 'fresh-state');
  const run = await project.cli(['plan', '-c', NEXT, '--env', 'production', '--strategy', 'fast-track'], {
    CUTOVER_STATE_DIR: fresh,
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /FAIL feature flag "ff-143-api-orders-pagination" does not exist/);
  assert.match(run.stdout, /^serving production now: nothing$/m);
  assert.equal(existsSync(fresh), false);
});

test('a lock held by a live deploy is said before the timeline: the deploy would fail at once, or wait', async () => {
  const holder = await holdLock(join(project.stateDir, 'locks.db'), { user: 'alice' });
  try {
    const now = await plan([NEXT], 'canary');
    assert.equal(now.code, 0, now.stderr);
    assert.match(
      now.stdout,
      /^before it starts\n {2}- production is locked by alice@\S+ .*: a deploy now would fail at once with E_LOCK_HELD$/m,
    );
    const waiting = await plan([NEXT], 'canary', '--wait', '2m', '--output', 'json');
    assert.match(validPlan(waiting).before.join('\n'), /: a deploy now would wait up to 2m for it$/);
  } finally {
    await holder.kill();
  }
});
