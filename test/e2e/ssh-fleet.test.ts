import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isInRollout } from '../../src/core/bucketing.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';
import { CLI, resultOf, runUntil } from '../support/cli.js';
import { skipUnlessInstalled } from '../support/docker-registry.js';
import { startLoadBalancer, type LoadBalancer } from '../support/haproxy-lb.js';
import { httpRequest } from '../support/runtime-http.js';
import { startFleetProject, FLEET_ROUTER_PORT, type FleetProject } from '../support/fleet-project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import type { FleetHost, SshFleet } from '../support/ssh-fleet.js';
import { startTraffic } from '../support/traffic.js';

const FLAG = 'ff-shop';
// the acceptance fleet: 20 hosts in groups of 5, the first host alone before them
const HOSTS = 20;
const PARALLEL = 5;
const all = (version: string) => Array<string>(HOSTS).fill(version);
/** Each host's place in the rollout: 0 for the canary host, then its group's number. */
const groupOf = (index: number) => (index === 0 ? 0 : 1 + Math.floor((index - 1) / PARALLEL));

/**
 * Issue 15 on twenty sshd hosts (network namespaces on a bridge), HAProxy in front: agents set up
 * over SSH, fast-track and canary across the fleet under traffic, and a host cut off mid-APPLY
 * left unreconciled, then put back by `recover`.
 */
describe('ssh target: a fleet of hosts', { skip: skipUnlessInstalled('sshd', 'haproxy') }, () => {
  let project: FleetProject;
  let lb: LoadBalancer;
  const cli = (args: string[]) => project.cli(args);
  const deploy = (changeset: string, strategy: string) => project.deploy(changeset, strategy);
  const versionsOnHosts = (user?: string, hosts?: FleetHost[]) => project.versionsOnHosts(user, hosts);
  let fleet: SshFleet;
  let tmp: { dir: string };
  let stateDir = '';

  before(async () => {
    project = await startFleetProject(HOSTS, { parallel: PARALLEL, canaryHosts: 1 });
    ({ fleet, stateDir } = project);
    tmp = { dir: project.dir };
  });
  after(async () => {
    await lb?.stop();
    await project?.stop();
  });
  /** `hosts` (addresses, in the order they changed) walk the groups in order. */
  const assertGroupOrder = (hosts: string[]) => {
    const groups = hosts.map((a) => groupOf(fleet.hosts.findIndex((h) => h.address === a)));
    assert.deepEqual(
      groups,
      [...groups].sort((x, y) => x - y),
      `hosts out of group order: ${hosts.join(' ')}`,
    );
  };

  it('hosts setup installs the agent on every host; run again, every host is ready', async () => {
    const first = await cli(['hosts', 'setup', '--env', 'production']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const lines = first.stdout.trim().split('\n');
    assert.equal(lines.length, HOSTS, first.stdout);
    for (const [i, h] of fleet.hosts.entries())
      assert.match(lines[i]!, new RegExp(`^${h.address} installed \\(agent `));
    assert.equal((await cli(['flags', 'create', FLAG])).code, 0);
    const again = await cli(['hosts', 'setup', '--env', 'production']);
    assert.equal(again.code, 0, again.stderr);
    for (const line of again.stdout.trim().split('\n')) assert.match(line, / ready \(agent /);
  });

  it('fast-track to every host in groups; a second one under HAProxy traffic fails no request', async () => {
    const v1 = resultOf(
      await deploy(writeSampleChangeset(tmp.dir, 'v1', { version: '1.0.0', flag: FLAG }), 'fast-track'),
    );
    assert.equal(v1.status, 'success', JSON.stringify(v1));
    // every host, applied, each one after every host of the groups before its own
    const outcomes = v1.hosts.map((h: { host: string; status: string }) => `${h.host} ${h.status}`);
    assert.deepEqual([...outcomes].sort(), fleet.hosts.map((h) => `${h.address} applied`).sort());
    assertGroupOrder(v1.hosts.map((h: { host: string }) => h.host));
    assert.deepEqual(await versionsOnHosts(), all('1.0.0'));
    lb = await startLoadBalancer(
      tmp.dir,
      fleet.hosts.map((h) => `${h.address}:${FLEET_ROUTER_PORT}`),
    );
    const traffic = startTraffic(lb.url, 6);
    const run = await deploy(
      writeSampleChangeset(tmp.dir, 'v2', { version: '2.0.0', flag: FLAG }),
      'fast-track',
    );
    const report = await traffic.stop();
    assert.equal(resultOf(run).status, 'success', run.stderr);
    assert.equal(report.failed, 0, report.failures.join('\n'));
    assert.ok(report.ok > 50, `only ${report.ok} requests went through`);
    assert.deepEqual(await versionsOnHosts(), all('2.0.0'));
    assert.equal(resultOf(run).hosts.length, HOSTS);
    // one group at a time, as the progress lines say
    const changing = run.stderr
      .split('\n')
      .filter((l) => l.endsWith(': changing'))
      .map((l) => l.trim().split(':')[0]!);
    assertGroupOrder(changing);
  });

  it('a 5 % canary: each user is on it on every host or on none, and those users are the flag bucket', async () => {
    const strategy = join(tmp.dir, 'canary.yaml');
    writeFileSync(
      strategy,
      // 8 s of 8 users' traffic: a 5 % canary on 20 fresh hosts gets a few requests on each, so
      // the first (cold) request of each new process is not most of what the analysis judges
      'mode: canary\ncanary: { steps: [5], observe: 8s }\n' + analysisWithMinRequests(1),
    );
    const traffic = startTraffic(lb.url, 8);
    const run = await deploy(writeSampleChangeset(tmp.dir, 'v3', { version: '3.0.0', flag: FLAG }), strategy);
    await traffic.stop();
    const result = resultOf(run);
    assert.equal(result.state, 'paused', run.stderr);
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const onCanary = new Set<string>();
    for (const user of users) {
      const reply = await httpRequest(lb.url, { headers: { 'x-user-id': user } });
      if ((JSON.parse(reply.body) as { version: string }).version === '3.0.0') onCanary.add(user);
    }
    const bucket = new Set(users.filter((u) => isInRollout(FLAG, u, 5)));
    assert.deepEqual([...onCanary].sort(), [...bucket].sort());
    assert.ok(bucket.size > 50 && bucket.size < 150, `${bucket.size} users in a 5 % bucket of 2,000`);
    // and host by host, for users on both sides
    for (const user of [...bucket].slice(0, 20)) assert.deepEqual(await versionsOnHosts(user), all('3.0.0'));
    const stable = users.filter((u) => !bucket.has(u)).slice(0, 20);
    for (const user of stable) assert.deepEqual(await versionsOnHosts(user), all('2.0.0'));
    const promoted = await cli(['promote', result.deploy_id, '--output', 'json']);
    assert.equal(resultOf(promoted).status, 'success', promoted.stderr);
    assert.deepEqual(await versionsOnHosts(), all('3.0.0'));
  });

  it('a host cut off during APPLY: the others go back, it is unreconciled until recover reaches it', async () => {
    const last = fleet.hosts[HOSTS - 1]!;
    const [serving] = await versionsOnHosts();
    // v4 takes 2 s to answer its health check: the link goes down while the last host waits
    const changeset = writeSampleChangeset(tmp.dir, 'v4', {
      version: '4.0.0',
      flag: FLAG,
      run: { command: ['sh', '-c', 'sleep 2; exec node server.mjs'] },
    });
    const run = await runUntil(
      [CLI, 'deploy', '-c', changeset, '--env', 'production', '--strategy', 'fast-track', '--output', 'json'],
      { cwd: tmp.dir, env: { CUTOVER_STATE_DIR: stateDir } },
      `${last.address}: changing`,
      () => spawn('ip', ['link', 'set', last.link, 'down']),
    );
    const { stderr } = run;
    assert.ok(run.marked, `the last host never started changing:\n${stderr}`);
    assert.equal(run.code, 1, stderr);
    const failed = resultOf(run);
    assert.equal(failed.state, 'rollback_failed', stderr);
    assert.match(failed.reason, new RegExp(last.address.replace(/\./g, '\\.')));
    const byHost = Object.fromEntries(
      failed.hosts.map((h: { host: string; status: string }) => [h.host, h.status]),
    );
    assert.equal(byHost[last.address], 'unreconciled');
    for (const h of fleet.hosts.slice(0, -1)) assert.equal(byHost[h.address], 'restored');
    assert.deepEqual(await versionsOnHosts('someone', fleet.hosts.slice(0, -1)), all(serving!).slice(1));

    await runCommandOk('ip', ['link', 'set', last.link, 'up']);
    const recovered = await cli(['recover', '--env', 'production', '--output', 'json']);
    assert.equal(recovered.code, 0, recovered.stdout + recovered.stderr);
    assert.deepEqual(await versionsOnHosts(), all(serving!));
    const status = JSON.parse(
      (await cli(['status', failed.deploy_id, '--output', 'json'])).stdout,
    ).deploy_result;
    assert.equal(status.state, 'rolled_back');
    assert.equal(status.hosts.find((h: { host: string }) => h.host === last.address).status, 'restored');
    const lock = await cli(['lock', 'status', '--env', 'production', '--output', 'json']);
    assert.deepEqual(JSON.parse(lock.stdout), [], lock.stdout);
    const audit = await cli(['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  });
});

function runCommandOk(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(command, args, { stdio: 'ignore' }).on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`)),
    ),
  );
}
