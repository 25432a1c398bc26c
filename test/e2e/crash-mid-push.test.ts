import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI, resultOf } from '../support/cli.js';
import { serving } from '../support/env-state.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: ServingProject;
before(async () => {
  project = await makeServingProject();
});
after(() => project.dispose());

/** The journal's newest event type, read directly (a CLI call per poll would be far too slow). */
function lastEventType(stateDir: string): string | null {
  const path = join(stateDir, 'journal.db');
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, timeout: 1000 });
  try {
    const row = db.prepare('SELECT type FROM events ORDER BY id DESC LIMIT 1').get() as
      { type: string } | undefined;
    return row?.type ?? null;
  } finally {
    db.close();
  }
}

test('SIGKILL in the middle of pushing a 96 MiB layer: recover rolls back, the next deploy ships it', async () => {
  const before = await serving(project.cli);
  const app = join(project.dir, 'big');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'payload.bin'), randomBytes(96 * 1024 * 1024));
  const v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0', extra: { source: './big' } });
  copyFileSync(join(project.dir, 'app', 'server.mjs'), join(app, 'server.mjs'));

  const child = spawn(
    process.execPath,
    [CLI, 'deploy', '-c', v2, '--env', 'production', '--strategy', 'fast-track'],
    {
      cwd: project.dir,
      env: { ...process.env, CUTOVER_STATE_DIR: project.stateDir },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<string | null>((res) => child.on('exit', (_code, signal) => res(signal)));
  // Kill once the big layer is being written: PUSH_START journaled and a partial blob of at
  // least 1 MiB on disk. Small blobs also pass through a .tmp file, but one of them can be
  // renamed between the look and the kill on a loaded machine; 95 MiB left to write cannot.
  const blobs = join(project.stateDir, 'registry', 'shop', 'blobs', 'sha256');
  const partialSize = (name: string) => {
    try {
      return statSync(join(blobs, name)).size;
    } catch {
      return 0; // renamed or removed since the listing
    }
  };
  const writing = () =>
    existsSync(blobs) &&
    readdirSync(blobs).some((name) => name.endsWith('.tmp') && partialSize(name) >= 1024 * 1024);
  let seen: string | null = null;
  for (let i = 0; i < 20_000; i++) {
    seen = lastEventType(project.stateDir);
    if (seen === 'PUSH_SUCCESS' || child.exitCode !== null) break;
    if (seen === 'PUSH_START' && writing()) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((res) => setTimeout(res, 1));
  }
  assert.equal(await exited, 'SIGKILL', `killed while the journal's last event was ${seen}`);
  assert.equal(lastEventType(project.stateDir), 'PUSH_START', 'the kill landed during the push');

  const recover = await project.cli(['recover', '--env', 'production', '--output', 'json']);
  assert.equal(recover.code, 0, recover.stderr);
  const [r] = JSON.parse(recover.stdout).recovered;
  assert.equal(r.failed_step, 'PUSH');
  assert.deepEqual(await serving(project.cli), before);
  const partial = readdirSync(blobs).filter((name) => name.endsWith('.tmp'));
  assert.ok(partial.length > 0, 'a partial layer was left by the kill');

  const again = await project.deploy(v2, 'fast-track', '--output', 'json');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(resultOf(again).status, 'success');
  assert.equal((await project.cli(['audit', 'verify'])).code, 0);
  // The next push cleared what the killed one left: only blobs named by their digest remain.
  for (const name of readdirSync(blobs))
    assert.match(name, /^[0-9a-f]{64}$/, `stray file ${name} in the blob store`);
});
