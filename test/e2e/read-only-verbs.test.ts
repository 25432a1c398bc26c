import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliRun } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { makeReadOnly, makeWritable, runCliAsReader } from '../support/read-only.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const JOURNAL = fileURLToPath(new URL('../../src/adapters/journal/sqlite-journal.js', import.meta.url));
const EVENTS = fileURLToPath(new URL('../support/events.js', import.meta.url));

let project: Awaited<ReturnType<typeof makeProject>>;
let deployId: string;
/** a copy of the state dir as the dead writer left it, for the read-only test */
let copy: string;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const run = await project.deploy(
    writeSampleChangeset(project.dir, 'one', { version: '1.0.0' }),
    'fast-track',
  );
  assert.equal(run.code, 0, run.stderr);
  deployId = JSON.parse((await project.cli(['status', '--output', 'json'])).stdout)[0].deploy_id;
  assert.equal((await project.cli(['runtime', 'stop'])).code, 0);
  // A writer killed with its last append still in the write-ahead log, never checkpointed.
  const path = join(project.stateDir, 'journal.db');
  const script =
    `const { openSqliteJournal } = await import(${JSON.stringify(JOURNAL)});` +
    `const { happyPath } = await import(${JSON.stringify(EVENTS)});` +
    `await openSqliteJournal(${JSON.stringify(path)}).append('killed-deploy', 0, new Date(), happyPath()[0]);` +
    `process.kill(process.pid, 'SIGKILL');`;
  const writer = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(writer.signal, 'SIGKILL', writer.stderr.toString());
  assert.ok(statSync(`${path}-wal`).size > 0, 'the write-ahead log holds the append');
  copy = join(project.dir, 'copy');
  // As a backup that took the database and its log but not SQLite's -shm index would have it.
  cpSync(project.stateDir, copy, {
    recursive: true,
    filter: (src) => !src.endsWith('.sock') && !src.endsWith('-shm'),
  });
});
after(async () => {
  makeWritable(copy);
  await project.dispose();
});

/** Every file under `dir` by its path: the sha256 of its bytes, its size and its mtime in ns. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const { size, mtimeNs } = statSync(path, { bigint: true });
        const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
        files[relative(dir, path)] = `${sha} ${size} ${mtimeNs}`;
      }
    }
  };
  walk(dir);
  return files;
}

/** Runs every read verb and checks it saw the row that is only in the write-ahead log. */
async function readEverything(run: (args: string[]) => Promise<CliRun>): Promise<void> {
  const expected: Array<[string[], RegExp]> = [
    [
      ['status'],
      new RegExp(
        `^${deployId}  production  success +DEPLOY_SUCCEEDED .*\\nkilled-deploy  production  interrupted +DEPLOY_REQUESTED `,
      ),
    ],
    [['log', 'killed-deploy'], /^ {2}1 {2}\S+ {2}DEPLOY_REQUESTED/],
    [['audit', 'verify'], /^journal OK: 13 rows, hash chain intact/],
    [['audit', 'head'], /^13:[0-9a-f]{64}\n$/],
    [['lock', 'status'], /^no environment is locked\n$/],
  ];
  for (const [args, stdout] of expected) {
    const result = await run(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stdout, stdout, args.join(' '));
  }
}

test('status, log, audit verify|head and lock status change no byte and no mtime of a state dir whose WAL holds changes', async () => {
  const before = filesOf(project.stateDir);
  assert.ok(before['journal.db-wal'], 'the test starts with a write-ahead log');
  await readEverything((args) => project.cli(args));
  assert.deepEqual(filesOf(project.stateDir), before);
});

test('in a read-only copy without its -shm index they read the changes in the WAL too', async () => {
  makeReadOnly(copy, [project.dir]);
  const before = filesOf(copy);
  assert.ok(before['journal.db-wal'], 'the test starts with a write-ahead log');
  await readEverything((args) =>
    runCliAsReader(args, { cwd: project.dir, env: { CUTOVER_STATE_DIR: copy } }),
  );
  assert.deepEqual(filesOf(copy), before);
});
