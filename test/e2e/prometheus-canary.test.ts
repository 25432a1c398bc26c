import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { resultOf } from '../support/cli.js';
import { freePort } from '../support/ports.js';
import { skipUnlessPrometheus, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { waitUntil } from '../support/wait-until.js';

const STRATEGY =
  'mode: canary\ncanary: { steps: [5], observe: 4s }\nanalysis: { method: threshold, min_requests: 10 }\n';

// Issue 16's acceptance with the built CLI: production's canary is judged from a Prometheus that
// scrapes the runtime's /metrics (runtime.metrics_listen) every second.
describe('a canary analysed from Prometheus', { skip: skipUnlessPrometheus() }, () => {
  let project: ServingProject;
  let prometheus: RunningPrometheus;
  let strategy: string;

  before(async () => {
    project = await makeServingProject();
    const listen = `127.0.0.1:${await freePort()}`;
    prometheus = await startPrometheus([listen]);
    const path = join(project.dir, 'cutover.yaml');
    const config = parse(readFileSync(path, 'utf8')) as Record<string, any>;
    config['runtime'] = { metrics_listen: listen };
    config['environments']['production']['metrics'] = { type: 'prometheus', url: prometheus.url };
    writeFileSync(path, stringify(config));
    strategy = project.strategy('canary', STRATEGY);
    // a deploy's first command serves /metrics; before the canary Prometheus must have scraped it
    const healthy = writeSampleChangeset(project.dir, 'v1b', { version: '1.0.1' });
    assert.equal((await project.deploy(healthy, 'fast-track')).code, 0);
    await waitUntil(
      async () => (await prometheus.value('sum(cutover_http_requests_total)')) !== undefined,
      'a scrape',
    );
  });
  after(async () => {
    await prometheus?.stop();
    await project?.dispose();
  });

  it('a healthy canary passes', async () => {
    const traffic = startTraffic(project.url(), 8);
    const run = await project.deploy(
      writeSampleChangeset(project.dir, 'good', { version: '1.1.0' }),
      strategy,
      '--output',
      'json',
    );
    await traffic.stop();
    assert.equal(run.code, 0, run.stderr);
    const r = resultOf(run);
    assert.equal(r.analysis[0].verdict, 'pass', r.analysis[0].reasons.join('; '));
    assert.ok(r.analysis[0].canary.samples >= 10);
    assert.equal((await project.cli(['abort', r.deploy_id])).code, 1);
  });

  it('a canary answering 5xx is rolled back, the 5xx rate Prometheus computed in the reason', async () => {
    const traffic = startTraffic(project.url(), 8);
    const run = await project.deploy(
      writeSampleChangeset(project.dir, 'bad', { version: '1.2.0', broken: true }),
      strategy,
      '--output',
      'json',
    );
    await traffic.stop();
    assert.equal(run.code, 1, run.stderr);
    const r = resultOf(run);
    assert.equal(r.failed_step, 'ANALYSIS');
    assert.match(r.reason, /5xx rate 100 % is above max_error_rate_5xx 1 %/);
    assert.equal(r.rollback.status, 'success');
  });

  it('Prometheus gone mid-observation: the deploy fails safe, rolled back with the reason', async () => {
    const traffic = startTraffic(project.url(), 8);
    const changeset = writeSampleChangeset(project.dir, 'orphan', { version: '1.3.0' });
    const running = project.deploy(changeset, strategy, '--output', 'json');
    // the canary takes traffic: its observation has begun
    await waitUntil(async () => {
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(project.url(), { headers: { 'x-user-id': `probe-${i}` } })
            .then((r) => r.json() as Promise<{ version: string }>)
            .catch(() => null),
        ),
      );
      return replies.some((r) => r?.version === '1.3.0');
    }, 'the canary to serve');
    await prometheus.stop();
    const run = await running;
    await traffic.stop();
    assert.equal(run.code, 1, run.stderr);
    const r = resultOf(run);
    assert.match(r.reason, new RegExp(`Prometheus at ${prometheus.url} is unreachable \\(ECONNREFUSED\\)`));
    // judged inconclusive (nothing is known of the canary), which is never a pass
    assert.equal(r.failed_step, 'ANALYSIS', r.reason);
    assert.equal(r.analysis.at(-1).verdict, 'inconclusive');
    assert.equal(r.rollback.status, 'success');
    const after = startTraffic(project.url(), 2);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(Object.keys((await after.stop()).versions), ['1.0.1']);
  });
});
