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

test('canary: SIGKILL after every journal append, then recover: fully back, never half-done', async () => {
  const canary = project.strategy(
    'canary',
    // A stall can leave a 6 % canary with only a few requests in 500 ms: one is enough here.
    'mode: canary\ncanary: { steps: [5], observe: 500ms }\n' + analysisWithMinRequests(1),
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
