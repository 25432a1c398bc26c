import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { crashAtEveryBoundary } from '../support/crash-loop.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';

let project: ServingProject;
before(async () => {
  project = await makeServingProject(['ff-a', 'ff-b', 'ff-c'], { 'ff-b': ['on', '--percentage', '40'] });
});
after(() => project.dispose());

test('3-batch train: SIGKILL after every journal append, then recover: every batch and flag back', async () => {
  const train = project.strategy(
    'train',
    'mode: fast-track\nbatching: { observe: 300ms }\n' + analysisWithMinRequests(3),
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
