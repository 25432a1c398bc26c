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

test('3-batch train: SIGKILL after every journal append, then recover: every batch and flag back', async () => {
  const train = strategy(
    'train',
    'mode: fast-track\nbatching: { observe: 300ms }\nanalysis: { min_requests: 3 }\n',
  );
  const files = (['a', 'b', 'c'] as const).map((f, i) =>
    writeSampleChangeset(project.dir, `t${f}`, { version: `3.${i}.0`, flag: `ff-${f}` }),
  );
  const covered = await crashAtEveryBoundary({
    cli: project.cli,
    stateDir: project.stateDir,
    url: project.url(),
    deploy: ['deploy', ...files.flatMap((f) => ['-c', f]), '--env', 'production', '--strategy', train],
    flags: ['ff-a', 'ff-b', 'ff-c'],
  });
  console.log(`3-batch train: covered ${covered} crash points`);
  assert.ok(covered >= 30, `only ${covered} crash points`);
});
