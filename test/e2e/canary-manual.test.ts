import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resultOf } from '../support/cli.js';
import { getJson } from '../support/project.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';
import { writeSampleChangeset, type SampleOptions } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';
import type { LatencyVerdict } from '../../src/core/stats/verdict-types.js';

let project: ServingProject;
let strategyFile: string;
before(async () => {
  project = await makeServingProject();
  strategyFile = project.strategy(
    'canary',
    'mode: canary\ncanary: { steps: [5], observe: 3s }\n' + analysisWithMinRequests(20),
  );
});
after(() => project.dispose());

const deploy = (name: string, app: SampleOptions, strategy = strategyFile) =>
  project.deploy(writeSampleChangeset(project.dir, name, app), strategy, '--output', 'json');

/** Deploys a canary while 8 clients send traffic; it must fail at the analysis. Returns its result. */
async function failedCanary(name: string, app: SampleOptions): Promise<Record<string, any>> {
  const traffic = startTraffic(project.url(), 8);
  const run = await deploy(name, app);
  await traffic.stop();
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'ANALYSIS');
  return r;
}

test('a canary returning 5xx is rolled back by the analysis; the stable version serves everyone again', async () => {
  const r = await failedCanary('bad', { version: '1.1.0', broken: true });
  assert.match(
    r.reason,
    /errors: canary 5xx 100 % \(\d+ of \d+\) vs stable 0 % .*100 % is above max_error_rate_5xx 1 % → fail/,
  );
  assert.equal(r.analysis[0].verdict, 'fail');
  assert.ok(r.analysis[0].canary.samples >= 20);
  assert.equal(r.rollback.status, 'success');
  assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  const after = startTraffic(project.url(), 4);
  await new Promise((res) => setTimeout(res, 500));
  const report = await after.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.deepEqual(Object.keys(report.versions), ['1.0.0']);
});

test('a canary 60 ms slower than the stable version fails the default statistical gate and is rolled back', async () => {
  const r = await failedCanary('slow', { version: '1.1.1', slowMs: 60 });
  assert.match(
    r.reason,
    /against the stable version in the same window: latency: canary median [\d.]+ ms vs stable [\d.]+ ms .*→ fail/,
  );
  const latency = (r.analysis[0] as { statistics: { latency: LatencyVerdict } }).statistics.latency;
  assert.equal(latency.verdict, 'fail');
  assert.ok(latency.hodges_lehmann_ms! >= 50, JSON.stringify(latency));
  assert.ok(latency.mann_whitney!.p_value < 0.02, JSON.stringify(latency));
  // status shows the same numbers the deploy printed: sample sizes, medians, p95s, U, p-value.
  const status = resultOf(await project.cli(['status', r.deploy_id, '--output', 'json']));
  assert.deepEqual(status.analysis, r.analysis);
  assert.ok(latency.canary.samples > 0 && latency.stable.samples > 0, JSON.stringify(latency));
  assert.equal(typeof latency.mann_whitney!.u, 'number');
  assert.equal(r.analysis[0].canary.error_rate_5xx, 0);
  assert.equal(r.rollback.status, 'success');
  assert.deepEqual((await getJson(project.url())).body, { version: '1.0.0' });
});

test('a healthy canary stays at 5 % with the flag ON 5 %, then promote takes it to 100 %', async () => {
  const traffic = startTraffic(project.url(), 8);
  const run = await deploy('good', { version: '1.2.0' });
  const report = await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  const r = resultOf(run);
  // The latency test ran, on real traffic on both sides of the same window.
  assert.equal(r.analysis[0].compared_with, 'stable');
  assert.equal(typeof r.analysis[0].latency_increase_pct, 'number');
  assert.ok(r.baseline_snapshot.latency_p95_ms > 0, JSON.stringify(r.baseline_snapshot));
  assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'on', percentage: 5 });
  assert.deepEqual(r.canary, { percentage: 5, state: 'paused' });
  assert.equal(report.failed, 0);
  const share = (report.versions['1.2.0'] ?? 0) / (report.ok || 1);
  assert.ok(share > 0 && share < 0.2, `canary share ${share}`);

  const wrong = await project.cli(['promote', 'no-such-deploy']);
  assert.equal(wrong.code, 2);
  const promoted = await project.cli(['promote', r.deploy_id, '--output', 'json']);
  assert.equal(promoted.code, 0, promoted.stderr);
  assert.deepEqual(resultOf(promoted).flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  assert.deepEqual((await getJson(project.url())).body, { version: '1.2.0' });
  const again = await project.cli(['promote', r.deploy_id]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /E_WRONG_STATE: cannot promote deploy .*: it was already promoted/);
});

test('manual applies to staging with the flag OFF; approve ships exactly that digest to production', async () => {
  const run = await deploy('m', { version: '1.3.0' }, 'manual');
  assert.equal(run.code, 0, run.stderr);
  const r = resultOf(run);
  assert.equal(r.approval.state, 'pending');
  assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'off', percentage: 0 });
  assert.deepEqual((await getJson(project.url('staging'))).body, { version: '1.3.0' });
  assert.deepEqual((await getJson(project.url())).body, { version: '1.2.0' });
  assert.equal((await project.cli(['abort', r.deploy_id])).code, 2);

  const approved = await project.cli(['approve', r.deploy_id, '--by', 'alice', '--output', 'json']);
  assert.equal(approved.code, 0, approved.stderr);
  const a = resultOf(approved);
  assert.equal(a.artifact.digest, r.artifact.digest);
  assert.equal(a.approval.by, 'alice');
  assert.match(approved.stderr, /reused from deploy/);
  assert.deepEqual((await getJson(project.url())).body, { version: '1.3.0' });
  const status = resultOf(await project.cli(['status', r.deploy_id, '--output', 'json']));
  assert.equal(status.approval.state, 'approved');
  assert.equal((await project.cli(['reject', r.deploy_id])).code, 2);
});
