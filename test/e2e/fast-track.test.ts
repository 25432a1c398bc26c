import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { resultOf } from '../support/cli.js';
import { SEED_RESULT_FIELDS } from '../support/result-fields.js';
import { getJson, makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(() => project.dispose());

const deploy = (changeset: string, ...extra: string[]) =>
  project.deploy(changeset, 'fast-track', '--output', 'json', ...extra);

test('a fast-track deploy of an app written from scratch goes live with every seed field', async () => {
  const run = await deploy(writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' }));
  assert.equal(run.code, 0, run.stderr);
  const r = resultOf(run);
  assert.deepEqual(Object.keys(r).slice(0, 7), SEED_RESULT_FIELDS);
  assert.equal(r.status, 'success');
  assert.match(r.version, /^1\.0\.0-1234567-\d{8}$/);
  assert.equal(r.environment, 'production');
  assert.deepEqual(r.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  assert.deepEqual(
    r.actions_log.map((a: { action: string }) => a.action),
    ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG_ACTIVATED'],
  );
  assert.ok(r.actions_log.every((a: { status: string }) => a.status === 'success'));
  assert.equal(r.actions_log[4].percentage, 100);
  assert.deepEqual(Object.keys(r.baseline_snapshot).slice(0, 3), [
    'latency_p95_ms',
    'error_rate_5xx',
    'cpu_percent',
  ]);
  assert.match(r.artifact.digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(run.stderr, /▸ PREFLIGHT[\s\S]*▸ BUILD[\s\S]*▸ PUSH[\s\S]*▸ APPLY[\s\S]*▸ FLAG/);

  const served = await getJson(project.url());
  assert.deepEqual(served, { status: 200, body: { version: '1.0.0' } });
});

test('skopeo reads the pushed image and agrees on the digest', async (t) => {
  let skopeo = true;
  try {
    execFileSync('skopeo', ['--version']);
  } catch {
    skopeo = false;
  }
  if (!skopeo) {
    if (process.env.CI === 'true') assert.fail('skopeo is missing in CI');
    return t.skip('skopeo not installed');
  }
  const status = resultOf(await project.cli(['status', (await latestDeploy()).id, '--output', 'json']));
  const layout = join(project.stateDir, 'registry', status.artifact.repository);
  const out = JSON.parse(
    execFileSync('skopeo', ['inspect', `oci:${layout}:${status.artifact.tag}`], { encoding: 'utf8' }),
  );
  assert.equal(out.Digest, status.artifact.digest);
});

test('a second version switches over with zero failed requests under steady traffic', async () => {
  const traffic = startTraffic(project.url(), 8);
  await new Promise((r) => setTimeout(r, 300));
  const run = await deploy(writeSampleChangeset(project.dir, 'v2', { version: '2.0.0' }));
  await new Promise((r) => setTimeout(r, 300));
  const report = await traffic.stop();
  assert.equal(run.code, 0, run.stderr);
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(report.versions['1.0.0']! > 0 && report.versions['2.0.0']! > 0, JSON.stringify(report.versions));
  assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
  const r = resultOf(run);
  assert.ok(r.baseline_snapshot.samples > 0, 'the baseline measured the traffic that was flowing');
  assert.equal(typeof r.baseline_snapshot.latency_p95_ms, 'number');
});

test('status, log and audit verify describe the deploys', async () => {
  const list = await project.cli(['status']);
  assert.equal(list.code, 0);
  assert.equal(list.stdout.trim().split('\n').length, 2);
  const { id } = await latestDeploy();
  const log = await project.cli(['log', id.slice(0, 13)]);
  assert.equal(log.code, 0, log.stderr);
  assert.match(log.stdout, /DEPLOY_REQUESTED[\s\S]*APPLY_START[\s\S]*DEPLOY_SUCCEEDED/);
  const audit = await project.cli(['audit', 'verify']);
  assert.equal(audit.code, 0);
  assert.match(audit.stdout, /journal OK: \d+ rows/);
});

async function latestDeploy(): Promise<{ id: string }> {
  const list = JSON.parse((await project.cli(['status', '--output', 'json'])).stdout) as Array<{
    deploy_id: string;
  }>;
  return { id: list[list.length - 1]!.deploy_id };
}
