import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { crashAtEveryBoundary } from '../support/crash-loop.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: ServingProject;
let v2: string;
before(async () => {
  project = await makeServingProject([], { 'ff-shop': ['off'] });
  v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0' });
});
after(() => project.dispose());

const deploy = () => ['deploy', '-c', v2, '--env', 'production', '--strategy', 'fast-track'];
/** The deploy killed at each journal append in turn (just after it, or just before), then recovered. */
const crashLoop = (when: 'after-append' | 'before-append') =>
  crashAtEveryBoundary({
    cli: project.cli,
    stateDir: project.stateDir,
    url: project.url(),
    deploy: deploy(),
    flags: ['ff-shop'],
    when,
  });

test('fast-track: SIGKILL right after every journal append, then recover: fully back, never half-done', async () => {
  const covered = await crashLoop('after-append');
  console.log(`fast-track: covered ${covered} crash points (after each append)`);
  assert.ok(covered >= 10, `only ${covered} crash points`);
});

test('fast-track: SIGKILL right before every journal append (side effect done, not recorded)', async () => {
  const covered = await crashLoop('before-append');
  console.log(`fast-track: covered ${covered} crash points (before each append)`);
  assert.ok(covered >= 10, `only ${covered} crash points`);
});

test('--on-interrupted resume finishes a deploy killed half-way, without redoing what it did', async () => {
  const killed = await project.cli(deploy(), { CUTOVER_FAILPOINT: 'after-append:8' });
  assert.equal(killed.code, -1, 'killed by the failpoint');
  const recover = await project.cli(['recover', '--on-interrupted', 'resume', '--output', 'json']);
  assert.equal(recover.code, 0, recover.stderr);
  const [r] = JSON.parse(recover.stdout).recovered;
  assert.equal(r.status, 'success', r.reason);
  assert.equal(r.recovery.action, 'resume');
  assert.equal(r.actions_log.filter((e: { action: string }) => e.action === 'BUILD').length, 1);
  const rows = JSON.parse((await project.cli(['log', r.deploy_id, '--output', 'json'])).stdout) as Array<{
    event: { type: string };
  }>;
  assert.deepEqual(
    rows.map((row) => row.event.type).filter((t) => t.endsWith('_START')),
    // APPLY was announced when the kill came, so it runs again (idempotently); nothing else does.
    ['PREFLIGHT_START', 'BUILD_START', 'PUSH_START', 'APPLY_START', 'APPLY_START', 'FLAG_START'],
    'only the interrupted step is started again',
  );
  const undo = await project.cli(['rollback', r.deploy_id]);
  assert.equal(undo.code, 0, undo.stderr);
});
