import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployArgs } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { makeReadOnly, makeWritable, runCliAsReader } from '../support/read-only.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: Awaited<ReturnType<typeof makeProject>>;
let deployId: string;
let changeset: string;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  changeset = writeSampleChangeset(project.dir, 'one', { version: '1.0.0' });
  const run = await project.deploy(changeset, 'fast-track');
  assert.equal(run.code, 0, run.stderr);
  deployId = JSON.parse((await project.cli(['status', '--output', 'json'])).stdout)[0].deploy_id;
  // Nothing may hold the state dir open: an auditor reads it at rest.
  assert.equal((await project.cli(['runtime', 'stop'])).code, 0);
  makeReadOnly(project.stateDir, [project.dir]);
});
after(async () => {
  makeWritable(project.stateDir);
  await project.dispose();
});

const reader = (args: string[]) =>
  runCliAsReader(args, { cwd: project.dir, env: { CUTOVER_STATE_DIR: project.stateDir } });

test('a read-only state dir can still be read: status, log, audit verify, audit head, lock status', async () => {
  const files = readdirSync(project.stateDir).sort();
  const expected: Array<[string[], RegExp]> = [
    [['status'], new RegExp(`^${deployId}  production  success +DEPLOY_SUCCEEDED `)],
    [['status', deployId.slice(0, 13), '--output', 'json'], /"status": "success"/],
    [['log', deployId], /DEPLOY_REQUESTED[\s\S]*DEPLOY_SUCCEEDED/],
    [['audit', 'verify'], /^journal OK: 12 rows, hash chain intact/],
    [['audit', 'head'], /^12:[0-9a-f]{64}\n$/],
    [['lock', 'status'], /^no environment is locked\n$/],
  ];
  for (const [args, stdout] of expected) {
    const run = await reader(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stdout, stdout, args.join(' '));
  }
  assert.deepEqual(readdirSync(project.stateDir).sort(), files, 'reading created nothing');
});

test('a verb that writes names the read-only file and why, on one line, exit 2', async () => {
  const dir = project.stateDir;
  const cases: Array<[string[], string]> = [
    [['deploy', '-c', changeset, '--env', 'production', '--strategy', 'fast-track'], 'journal.db'],
    [['rollback', deployId], 'journal.db'],
    [['flags', 'create', 'ff-new'], 'flags.db'],
    [['lock', 'release', '--env', 'production'], 'locks.db'],
    [['submit', changeset, '--env', 'production'], 'journal.db'],
  ];
  for (const [args, file] of cases) {
    const run = await reader(args);
    assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
    assert.equal(
      run.stderr,
      `cutover: E_STATE_DIR: cannot write ${join(dir, file)}: the directory ${dir} is not writable (permission denied)\n`,
    );
  }
});

test('a state dir that cannot be created, or is not a directory, is named with the reason', async () => {
  const below = join(project.stateDir, 'nested');
  const run = await reader(['--state-dir', below, 'flags', 'create', 'ff-x']);
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    `cutover: E_STATE_DIR: cannot create the state dir ${below}: permission denied on ${project.stateDir}\n`,
  );
  const file = join(project.dir, 'not-a-dir');
  writeFileSync(file, '');
  const deploy = await project.cli(['--state-dir', file, ...deployArgs(changeset)]);
  assert.equal(deploy.code, 2);
  assert.equal(
    deploy.stderr,
    `cutover: E_STATE_DIR: cannot create the state dir ${file}: it exists and is not a directory\n`,
  );
  const status = await project.cli(['--state-dir', file, 'status']);
  assert.equal(status.code, 2);
  assert.equal(
    status.stderr,
    `cutover: E_STATE_DIR: cannot read ${file}/journal.db: ${file} is not a directory\n`,
  );
});
