import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crashAtEveryBoundary } from '../support/crash-loop.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  for (const f of ['ff-shop', 'ff-a', 'ff-b', 'ff-c'])
    assert.equal((await project.cli(['flags', 'create', f])).code, 0);
  const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
  const run = await project.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    (
      await project.cli([
        'flags',
        'set',
        'ff-b',
        '--env',
        'production',
        '--state',
        'on',
        '--percentage',
        '40',
      ])
    ).code,
    0,
  );
});
after(() => project.dispose());

const strategy = (name: string, yaml: string) => {
  const path = join(project.dir, `${name}.yaml`);
  writeFileSync(path, yaml);
  return path;
};

test('canary: SIGKILL after every journal append, then recover: fully back, never half-done', async () => {
  const canary = strategy(
    'canary',
    'mode: canary\ncanary: { steps: [5], observe: 500ms }\nanalysis: { min_requests: 3 }\n',
  );
  const v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0', flag: 'ff-a' });
  const covered = await crashAtEveryBoundary({
    cli: project.cli,
    stateDir: project.stateDir,
    url: project.url(),
    deploy: ['deploy', '-c', v2, '--env', 'production', '--strategy', canary],
    flags: ['ff-a'],
  });
  console.log(`canary: covered ${covered} crash points`);
  assert.ok(covered >= 12, `only ${covered} crash points`);
});
