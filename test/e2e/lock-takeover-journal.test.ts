import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resultOf } from '../support/cli.js';
import { holdLock, type LockHolder } from '../support/lock-holder.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: Awaited<ReturnType<typeof makeProject>> | undefined;
let holder: LockHolder | undefined;
after(async () => {
  await holder?.kill('SIGKILL');
  await project?.dispose();
});

test('a dead holder with no deploy: the deploy that takes the lock over journals LOCK_TAKEN_OVER with both holders', async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  mkdirSync(project.stateDir, { recursive: true });
  // a holder that never had a deploy, killed -9: its lease stays until someone takes it over
  holder = await holdLock(join(project.stateDir, 'locks.db'), { environment: 'production', user: 'alice' });
  await holder.kill('SIGKILL');
  const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
  const run = await project.deploy(v1, 'fast-track', '--output', 'json');
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /took over production's lock from alice@\S+ pid \d+ \(cutover deploy\): its process is gone/,
  );
  const id = resultOf(run).deploy_id as string;
  const log = await project.cli(['log', id, '--output', 'json']);
  assert.equal(log.code, 0, log.stderr);
  const events = (JSON.parse(log.stdout) as { event: { type: string } & Record<string, unknown> }[]).map(
    (r) => r.event,
  );
  assert.equal(events[0]?.type, 'DEPLOY_REQUESTED');
  const takeover = events.find((e) => e.type === 'LOCK_TAKEN_OVER');
  assert.ok(takeover, JSON.stringify(events.map((e) => e.type)));
  assert.match(
    String(takeover.previous_holder),
    new RegExp(`^alice@\\S+ pid ${holder.pid} \\(cutover deploy\\)$`),
  );
  assert.match(String(takeover.new_holder), /^\S+@\S+ pid \d+ \(cutover deploy\)$/);
  assert.notEqual(takeover.new_holder, takeover.previous_holder);
  assert.equal(takeover.reason, 'its process is gone');
  const verify = await project.cli(['audit', 'verify']);
  assert.match(verify.stdout, /^journal OK: /, verify.stderr);
});
