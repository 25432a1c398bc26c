import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { freePort } from '../support/ports.js';
import { makeProject } from '../support/project.js';

const projects: Array<Awaited<ReturnType<typeof makeProject>>> = [];
after(async () => {
  for (const project of projects) await project.dispose();
});

it('cutover runtime start serves /metrics where runtime.metrics_listen says', async () => {
  const listen = `127.0.0.1:${await freePort()}`;
  const project = await makeProject({ runtime: { metrics_listen: listen } });
  projects.push(project);
  const run = await project.cli(['runtime', 'start']);
  assert.equal(run.code, 0, run.stderr);
  const reply = await fetch(`http://${listen}/metrics`);
  assert.equal(reply.status, 200);
  assert.match(await reply.text(), /^# TYPE cutover_http_requests_total counter$/m);
});

it('a metrics_listen that is not host:port is exit 2 naming the key', async () => {
  const project = await makeProject({ runtime: { metrics_listen: '9464' } });
  projects.push(project);
  const run = await project.cli(['runtime', 'start']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /runtime\.metrics_listen: must be host:port, e\.g\. 127\.0\.0\.1:9464/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});
