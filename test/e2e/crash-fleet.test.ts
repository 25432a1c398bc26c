import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, test } from 'node:test';
import { crashAtEveryBoundary } from '../support/crash-loop.js';
import { skipUnlessInstalled } from '../support/docker-registry.js';
import { startFleetProject, FLEET_ROUTER_PORT, type FleetProject } from '../support/fleet-project.js';
import type { FleetHost } from '../support/ssh-fleet.js';
import { startLoadBalancer, type LoadBalancer } from '../support/haproxy-lb.js';
import { CLI, resultOf, runUntil } from '../support/cli.js';
import { startTraffic } from '../support/traffic.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const skip = skipUnlessInstalled('sshd', 'haproxy');
let project: FleetProject;
let lb: LoadBalancer;
let v2 = '';

before(async () => {
  if (skip) return;
  project = await startFleetProject(4, { parallel: 2, canaryHosts: 1 });
  const setup = await project.setup();
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const v1 = await project.deploy(
    writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' }),
    'fast-track',
  );
  assert.equal(resultOf(v1).status, 'success', v1.stderr);
  v2 = writeSampleChangeset(project.dir, 'v2', { version: '2.0.0' });
  const servers = project.fleet.hosts.map((h) => `${h.address}:${FLEET_ROUTER_PORT}`);
  lb = await startLoadBalancer(project.dir, servers);
});
after(async () => {
  await lb?.stop();
  await project?.stop();
});

/**
 * Issue 15: the CLI killed (SIGKILL, CUTOVER_FAILPOINT) right after each journal append of a
 * 4-host fast-track in turn, then `recover`: every host runs exactly what it ran before (no
 * version left started beside it), the flag is as it was, traffic through HAProxy never failed.
 */
test(
  '4-host fast-track: SIGKILL after every journal append, then recover: every host as before',
  { skip },
  async () => {
    const covered = await crashAtEveryBoundary({
      cli: project.cli,
      stateDir: project.stateDir,
      url: lb.url,
      deploy: ['deploy', '-c', v2, '--env', 'production', '--strategy', 'fast-track'],
      flags: ['ff-shop'],
      serving: project.servingByHost,
    });
    console.log(`4-host fast-track: covered ${covered} crash points`);
    // PREFLIGHT…PUSH, APPLY_START, then a start and an end per host, APPLY_SUCCESS, FLAG…
    assert.ok(covered >= 17, `only ${covered} crash points`);
  },
);

/**
 * Issue 15: a host killed (every process in it, its disk with them) while it applies: the deploy
 * fails naming it and puts the others back; the host, rebooted empty and set up again, is put
 * back by `recover` — its release fetched again from the registry — and HAProxy, which takes a
 * dead host out, never failed a request.
 */
test('a host killed during APPLY, rebooted, set up: recover puts it back as before', { skip }, async () => {
  const before = await project.servingByHost();
  const victim = project.fleet.hosts[3]!;
  const traffic = startTraffic(lb.url, 4);
  const run = await deployCrashing(victim, 'v3', '3.0.0');
  const failed = resultOf(run);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(failed.state, 'rollback_failed', run.stderr);
  assert.match(failed.reason, new RegExp(victim.address.replace(/\./g, '\\.')));
  const byHost = Object.fromEntries(
    failed.hosts.map((h: { host: string; status: string }) => [h.host, h.status]),
  );
  assert.equal(byHost[victim.address], 'unreconciled');

  await victim.reboot();
  const setup = await project.setup();
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  assert.match(setup.stdout, new RegExp(`${victim.address.replace(/\./g, '\\.')} installed`));
  const recovered = await project.cli(['recover', '--env', 'production', '--output', 'json']);
  assert.equal(recovered.code, 0, recovered.stdout + recovered.stderr);
  const report = await traffic.stop();
  assert.deepEqual(await project.servingByHost(), before);
  assert.equal(report.failed, 0, report.failures.join('\n'));
  const audit = await project.cli(['audit', 'verify']);
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
});

/**
 * Issue 15: while a host is unreconciled the environment takes no deploy (each attempt first
 * tries that host again); `hosts forget` journals an operator giving up on it, and once it is out
 * of cutover.yaml the remaining hosts deploy again.
 */
test(
  'an unreconciled host blocks deploys until recover reaches it or an operator forgets it',
  { skip },
  async () => {
    const victim = project.fleet.hosts[3]!;
    const run = await deployCrashing(victim, 'v5', '5.0.0');
    const failed = resultOf(run);
    assert.equal(failed.state, 'rollback_failed', run.stderr);

    const refused = await project.deploy(v2, 'fast-track');
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, new RegExp(`${failed.deploy_id}.*could not be rolled back`));

    const forgot = await project.cli([
      'hosts',
      'forget',
      victim.address,
      '--env',
      'production',
      '--reason',
      'retired',
    ]);
    assert.equal(forgot.code, 0, forgot.stdout + forgot.stderr);
    const status = JSON.parse(
      (await project.cli(['status', failed.deploy_id, '--output', 'json'])).stdout,
    ).deploy_result;
    const entry = status.hosts.find((h: { host: string }) => h.host === victim.address);
    assert.deepEqual([entry.status, entry.detail], ['forgotten', `by ${userInfo().username}: retired`]);
    const again = await project.cli([
      'hosts',
      'forget',
      victim.address,
      '--env',
      'production',
      '--reason',
      'twice',
    ]);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /is not unreconciled in production/);

    project.setHosts(project.fleet.hosts.slice(0, 3));
    const deployed = await project.deploy(v2, 'fast-track');
    assert.equal(resultOf(deployed).status, 'success', deployed.stderr);
    assert.deepEqual(await project.versionsOnHosts('someone', project.fleet.hosts.slice(0, 3)), [
      '2.0.0',
      '2.0.0',
      '2.0.0',
    ]);
    const audit = await project.cli(['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  },
);

/**
 * A fast-track of `version` whose app takes 2 s to answer its health check, with `victim` killed
 * as soon as it starts changing (so it dies mid-APPLY, touched).
 */
function deployCrashing(victim: FleetHost, name: string, version: string) {
  const slow = writeSampleChangeset(project.dir, name, {
    version,
    run: { command: ['sh', '-c', 'sleep 2; exec node server.mjs'] },
  });
  return runUntil(
    [CLI, 'deploy', '-c', slow, '--env', 'production', '--strategy', 'fast-track', '--output', 'json'],
    { cwd: project.dir, env: { CUTOVER_STATE_DIR: project.stateDir } },
    `${victim.address}: changing`,
    () => victim.crash(),
  );
}
