import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultOf } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { httpRequest } from '../support/runtime-http.js';

// Three processes accept on every router port: the daemon and two router processes.
const THREE = { CUTOVER_ROUTER_PROCESSES: '3' };

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(() => project.dispose());

const deploy = (name: string, version: string) =>
  project.cli(
    [
      ...['deploy', '-c', writeSampleChangeset(project.dir, name, { version })],
      ...['--env', 'production', '--strategy', 'fast-track', '--output', 'json'],
    ],
    THREE,
  );

async function routerPids(): Promise<number[]> {
  const run = await project.cli(['runtime', 'status', '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).router_pids as number[];
}

/** Each request on a connection of its own, so every accepting process gets some of them. */
async function versionsOnFreshConnections(count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const reply = await httpRequest(project.url(), {
      headers: { 'x-user-id': `u${i}`, connection: 'close' },
    });
    assert.equal(reply.status, 200, reply.body);
    const version = (JSON.parse(reply.body) as { version: string }).version;
    seen[version] = (seen[version] ?? 0) + 1;
  }
  return seen;
}

test('a bad CUTOVER_ROUTER_PROCESSES is a usage error, and no daemon starts', async () => {
  const run = await project.cli(['runtime', 'start'], { CUTOVER_ROUTER_PROCESSES: 'zero' });
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    'cutover: E_USAGE: CUTOVER_ROUTER_PROCESSES="zero": must be a whole number from 1 to 64\n',
  );
  assert.equal(existsSync(join(project.stateDir, 'runtime', 'daemon.pid')), false);
  // A deploy checks it before it journals, builds or pushes anything.
  const deployRun = await project.cli(
    [
      ...['deploy', '-c', writeSampleChangeset(project.dir, 'bad-env', { version: '0.9.0' })],
      ...['--env', 'production', '--strategy', 'fast-track'],
    ],
    { CUTOVER_ROUTER_PROCESSES: '0' },
  );
  assert.equal(deployRun.code, 2, deployRun.stderr);
  assert.match(deployRun.stderr, /^cutover: E_USAGE: CUTOVER_ROUTER_PROCESSES="0": must be a whole number/);
  assert.equal(deployRun.stderr.split('\n').length, 2, deployRun.stderr);
  const deploys = await project.cli(['status', '--output', 'json']);
  assert.deepEqual(JSON.parse(deploys.stdout), []);
});

test('with 3 router processes, deploys switch every one of them under traffic, 0 failed', async () => {
  const first = await deploy('v1', '1.0.0');
  assert.equal(first.code, 0, first.stderr);
  assert.equal((await routerPids()).length, 2, 'two router processes beside the daemon');
  assert.deepEqual(await versionsOnFreshConnections(60), { '1.0.0': 60 });

  const traffic = startTraffic(project.url(), 12);
  const second = await deploy('v2', '2.0.0');
  const report = await traffic.stop();
  assert.equal(second.code, 0, second.stderr);
  assert.equal(resultOf(second).status, 'success');
  assert.equal(report.failed, 0, report.failures.slice(0, 3).join('\n'));
  assert.ok((report.versions['2.0.0'] ?? 0) > 0, 'the traffic reached the new version');
  // The old version is stopped only after every process drained it: nobody is left on it.
  assert.deepEqual(await versionsOnFreshConnections(60), { '2.0.0': 60 });
});

test('a router process killed by SIGKILL is started again and routes like the others', async () => {
  const [victim, other] = await routerPids();
  process.kill(victim as number, 'SIGKILL');
  let pids: number[] = [];
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    pids = await routerPids();
    if (pids.length === 2 && !pids.includes(victim as number)) break;
  }
  assert.equal(pids.length, 2);
  assert.ok(
    !pids.includes(victim as number) && pids.includes(other as number),
    `pids now ${pids.join(', ')}`,
  );
  const log = readFileSync(join(project.stateDir, 'runtime', 'daemon.log'), 'utf8');
  assert.match(
    log,
    /"msg":"Router process exited, starting it again","index":\d,"code":null,"signal":"SIGKILL"/,
  );
  // A process without the listener or the table would answer nothing or 503: every answer is 2.0.0.
  assert.deepEqual(await versionsOnFreshConnections(90), { '2.0.0': 90 });
});
