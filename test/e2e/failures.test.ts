import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resultOf, type CliRun } from '../support/cli.js';
import { getJson, makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  // A short health timeout keeps the unhealthy-app case quick.
  writeFileSync(
    join(project.dir, 'cutover.yaml'),
    `environments:\n  production: { target: { type: local, port: ${project.ports.production}, health_timeout: 6s, drain_timeout: 2s } }\n  staging: { target: { type: local, port: ${project.ports.staging} } }\n`,
  );
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const first = await deploy(writeSampleChangeset(project.dir, 'good', { version: '1.0.0' }));
  assert.equal(first.code, 0, first.stderr);
});
after(() => project.dispose());

function deploy(changeset: string): Promise<CliRun> {
  return project.deploy(changeset, 'fast-track', '--output', 'json');
}

async function assertStillServingV1(run: CliRun): Promise<void> {
  assert.doesNotMatch(run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  assert.deepEqual((await getJson(project.url())).body, { version: '1.0.0' });
}

async function assertPreflightFails(changeset: string, reason: RegExp): Promise<void> {
  const run = await deploy(changeset);
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.status, 'failed');
  assert.equal(r.failed_step, 'PREFLIGHT');
  assert.match(r.reason, reason);
  assert.deepEqual(
    r.actions_log.map((a: { action: string }) => a.action),
    ['PREFLIGHT'],
  );
  await assertStillServingV1(run);
}

test('DoD 8/9 aborts before BUILD naming the missing step', () =>
  assertPreflightFails(
    writeSampleChangeset(project.dir, 'dod8', { version: '1.1.0', dodDone: 8 }),
    /^DoD incomplete \(8\/9\): rollback-tested$/,
  ));

test('a flag missing from the flag store aborts', () =>
  assertPreflightFails(
    writeSampleChangeset(project.dir, 'noflag', { version: '1.1.0', flag: 'ff-nope' }),
    /feature flag "ff-nope" does not exist in the flag store/,
  ));

test('a missing rollback plan aborts', () =>
  assertPreflightFails(
    writeSampleChangeset(project.dir, 'noplan', { version: '1.1.0', rollbackPlan: false }),
    /rollback plan missing/,
  ));

test('an app that never gets healthy fails APPLY, is rolled back, and the old version keeps serving', async () => {
  const run = await deploy(writeSampleChangeset(project.dir, 'sick', { version: '1.2.0', healthy: false }));
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'APPLY');
  assert.match(r.reason, /\/health/);
  assert.equal(r.rollback.status, 'success');
  assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  await assertStillServingV1(run);
});

test('a symlink out of the source dir fails BUILD with E_SOURCE_ESCAPE', async () => {
  const changeset = writeSampleChangeset(project.dir, 'escape', { version: '1.3.0' });
  symlinkSync('/etc/passwd', join(project.dir, 'app', 'passwd'));
  try {
    const run = await deploy(changeset);
    assert.equal(run.code, 1, run.stderr);
    const r = resultOf(run);
    assert.equal(r.failed_step, 'BUILD');
    assert.match(r.reason, /passwd.*\/etc\/passwd/);
    await assertStillServingV1(run);
  } finally {
    (await import('node:fs')).unlinkSync(join(project.dir, 'app', 'passwd'));
  }
});

test('malformed YAML, unknown keys and bad tag characters are input errors (exit 2) naming the place', async () => {
  const broken = join(project.dir, 'broken.yaml');
  writeFileSync(broken, 'id: "1"\nservice: shop\n  version: [1.0\n');
  const yamlRun = await deploy(broken);
  assert.equal(yamlRun.code, 2);
  assert.match(
    yamlRun.stderr,
    /^cutover: E_INVALID_INPUT: changeset .*broken\.yaml is not valid YAML \(3 problems\)\n( {2}.*broken\.yaml:\d+:\d+: .*\n){3}$/,
  );
  await assertStillServingV1(yamlRun);

  const unknown = writeSampleChangeset(project.dir, 'unknown', {
    version: '1.0.1',
    extra: { colour: 'blue' },
  });
  const unknownRun = await deploy(unknown);
  assert.equal(unknownRun.code, 2);
  assert.match(unknownRun.stderr, /unknown\.yaml:\d+: colour: unknown key/);

  const badTag = writeSampleChangeset(project.dir, 'badtag', { version: '1.0.0/beta' });
  const tagRun = await deploy(badTag);
  assert.equal(tagRun.code, 2);
  assert.match(
    tagRun.stderr,
    /E_TAG_INVALID: version: tag "1\.0\.0\/beta-1234567-\d{8}" is not a valid OCI tag \(characters not allowed in an OCI tag: "\/"\)/,
  );
  await assertStillServingV1(tagRun);
});

test('usage errors exit 2 without a stack trace', async () => {
  const run = await project.cli(['deploy', '--env', 'production', '--strategy', 'fast-track']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /required option '-c, --changeset <file>' not specified/);
  const strategy = await project.cli(['deploy', '-c', 'x.yaml', '--env', 'production', '--strategy', 'yolo']);
  assert.equal(strategy.code, 2);
  assert.match(strategy.stderr, /--strategy: "yolo" is neither a mode/);
  const env = await project.cli(['deploy', '-c', 'x.yaml', '--env', 'moon', '--strategy', 'fast-track']);
  assert.equal(env.code, 2);
  assert.match(env.stderr, /changeset .*x\.yaml: no such file/);
});

test('audit verify fails naming the row after a journal row is edited', async () => {
  assert.equal((await project.cli(['audit', 'verify'])).code, 0);
  const db = new Database(join(project.stateDir, 'journal.db'));
  db.prepare(`UPDATE events SET data = replace(data, '"1.0.0"', '"6.6.6"') WHERE id = 1`).run();
  db.close();
  const run = await project.cli(['audit', 'verify']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /journal TAMPERED: row 1 \(deploy [0-9a-f-]{36}\): hash does not match/);
});
