import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runtimeIdOf } from '../../src/runtime/container/container-names.js';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';
import { CLI, resultOf } from '../support/cli.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../support/docker-registry.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { pushNodeBase } from '../support/node-base-image.js';
import { podman, removeImagesUnder } from '../support/podman.js';
import { getJson, makeProject } from '../support/project.js';
import { writeSampleChangeset, type SampleOptions } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { waitUntil } from '../support/wait-until.js';

const skip = skipUnlessInstalled('docker-registry', 'podman');
const AUTH = { username: 'deployer', password: `pw-${randomBytes(12).toString('hex')}` };
// An app that says on stdout what it serves, for `cutover logs`.
const CHATTY = `require('http').createServer((q, s) => { if (q.url !== '/health') console.log('served ' + q.url);
s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ version: process.env.APP_VERSION })); })
.listen(+process.env.PORT, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
type Project = Awaited<ReturnType<typeof makeProject>>;

/**
 * Issue 13's podman runner: versions run as containers pulled by digest from the environment's
 * registry (a docker-registry with a password), under traffic, through canary, promote, a bad
 * canary, a CLI killed during APPLY and a killed runtime daemon; podman is left holding exactly
 * what the environment serves.
 */
describe('podman runner: target.runner podman', { skip }, () => {
  let registry: RunningRegistry;
  let host: string;
  let base: string;
  let project: Project;
  let firstDeployId = '';
  let exitedTag = '';
  const env = { REGISTRY_PASSWORD: AUTH.password };

  function useRegistry(url: string): void {
    const target = `{ type: local, runner: podman, port: ${project.ports.production}, health_timeout: 60s, drain_timeout: 2s }`;
    const reg = `{ type: oci-distribution, url: "${url}", repository: team/shop, username: deployer, password_env: REGISTRY_PASSWORD }`;
    writeFileSync(
      join(project.dir, 'cutover.yaml'),
      `baseline: { window: 3s, min_samples: 5 }\nenvironments:\n  production: { target: ${target}, registry: ${reg} }\n`,
    );
  }
  const changeset = (name: string, o: SampleOptions, from = base) =>
    writeSampleChangeset(project.dir, name, { ...o, extra: { build: { base: from } } });
  /** A canary of one 5 % step observed for 3 s (the default observes for minutes). */
  const canary = (): string => {
    const path = join(project.dir, 'canary.yaml');
    writeFileSync(path, 'mode: canary\ncanary: { steps: [5], observe: 3s }\n' + analysisWithMinRequests(20));
    return path;
  };
  const deploy = (path: string, strategy: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    project.cli(['deploy', '-c', path, '--env', 'production', '--strategy', strategy, '--output', 'json'], {
      ...env,
      ...extraEnv,
    });
  const status = async () =>
    JSON.parse((await project.cli(['runtime', 'status', '--output', 'json'])).stdout);
  /** `name state` of every container of this project's runtime, in any state, by its label. */
  const containers = async (): Promise<string[]> => {
    const label = `label=io.cutover.runtime=${runtimeIdOf(join(project.stateDir, 'runtime'))}`;
    const listed = JSON.parse(await podman('ps', '--all', '--filter', label, '--format', 'json')) as Array<{
      Names: string[];
      State: string;
    }>;
    return listed.map((c) => `${c.Names[0]} ${c.State}`).sort();
  };
  /** What podman should hold: one running container per version the environment serves. */
  const serving = async (): Promise<string[]> =>
    (await status()).environments[0].versions
      .map((v: { container: { name: string } }) => `${v.container.name} running`)
      .sort();

  before(async () => {
    registry = await startDockerRegistry({ auth: AUTH });
    host = new URL(registry.url).host;
    base = await pushNodeBase(registry.url, AUTH);
    project = await makeProject();
    useRegistry(registry.url);
    assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  });
  after(async () => {
    await project?.dispose();
    await removeImagesUnder(`${host}/`).catch(() => undefined);
    await registry?.stop();
  });

  it('fast-track runs a container pulled by digest, with its limits; the daemon never holds the password', async () => {
    const resources = { memory: '256m', cpus: 0.5 };
    const run = await deploy(changeset('v1', { version: '1.0.0', run: { resources } }), 'fast-track');
    assert.equal(run.code, 0, run.stderr);
    firstDeployId = resultOf(run).deploy_id;
    assert.deepEqual((await getJson(project.url())).body, { version: '1.0.0' });
    const s = await status();
    const [version] = s.environments[0].versions;
    assert.match(version.container.name, /^cutover-production-1\.0\.0-.+-[0-9a-f]{8}$/);
    assert.deepEqual(version.container.resources, resources);
    const inspect = (format: string) =>
      podman('container', 'inspect', '--format', format, version.container.name);
    assert.equal(
      (await inspect('{{.ImageName}}')).trim(),
      `${host}/team/shop@${resultOf(run).artifact.digest}`,
    );
    // Enforced by the kernel (cgroup v1 memory and cpu controllers on this machine).
    const pid = Number((await inspect('{{.State.Pid}}')).trim());
    const cgroup = (controller: string) =>
      readFileSync(`/proc/${pid}/cgroup`, 'utf8').match(new RegExp(`^\\d+:${controller}:(.*)$`, 'm'))![1];
    assert.equal(
      readFileSync(`/sys/fs/cgroup/memory${cgroup('memory')}/memory.limit_in_bytes`, 'utf8').trim(),
      '268435456',
    );
    assert.equal(readFileSync(`/sys/fs/cgroup/cpu${cgroup('cpu')}/cpu.cfs_quota_us`, 'utf8').trim(), '50000');

    assert.ok(
      !readFileSync(`/proc/${s.pid}/environ`, 'utf8').includes(AUTH.password),
      "daemon's environment",
    );
    assert.ok(!readFileSync(join(project.stateDir, 'runtime', 'state.json'), 'utf8').includes(AUTH.password));
    assert.ok(!readFileSync(join(project.stateDir, 'runtime', 'daemon.log'), 'utf8').includes(AUTH.password));
    assert.deepEqual(await containers(), await serving());
  });

  it('canary under steady traffic: 0 failed requests, sticky 5 %, promote; the old container is gone', async () => {
    const traffic = startTraffic(project.url(), 6);
    const run = await deploy(changeset('v2', { version: '2.0.0' }), canary());
    const during = await traffic.stop();
    assert.equal(run.code, 0, run.stderr);
    const r = resultOf(run);
    assert.deepEqual(r.canary, { percentage: 5, state: 'paused' });
    assert.equal(during.failed, 0, during.failures.join('\n'));
    const share = (during.versions['2.0.0'] ?? 0) / during.ok;
    assert.ok(share > 0 && share < 0.2, `canary share ${share}`);
    assert.equal((await containers()).length, 2);
    // Sticky: a user sees one version, request after request.
    for (const user of ['alice', 'bob', 'carol']) {
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const res = await fetch(project.url(), { headers: { 'x-user-id': user } });
        seen.add(((await res.json()) as { version: string }).version);
      }
      assert.equal(seen.size, 1, `${user} saw ${[...seen].join(', ')}`);
    }
    const promoting = startTraffic(project.url(), 6);
    const promoted = await project.cli(['promote', r.deploy_id], env);
    const report = await promoting.stop();
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.equal(report.failed, 0, report.failures.join('\n'));
    assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
    await waitUntil(async () => (await containers()).length === 1, 'the v1 container to be removed');
    assert.deepEqual(await containers(), await serving());
  });

  it('a bad canary is rolled back and its container removed', async () => {
    const traffic = startTraffic(project.url(), 6);
    const run = await deploy(changeset('v3', { version: '3.0.0', broken: true }), canary());
    await traffic.stop();
    assert.equal(run.code, 1, run.stderr);
    assert.equal(resultOf(run).failed_step, 'ANALYSIS');
    assert.equal(resultOf(run).rollback.status, 'success');
    assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
    assert.deepEqual(await containers(), await serving());
  });

  it('kill -9 of the CLI during APPLY, then recover: serving as before, no stray container', async () => {
    const before = await serving();
    // Killed right before APPLY_SUCCESS is written: the container runs and takes the traffic.
    const fastTrack = JSON.parse(
      (await project.cli(['log', firstDeployId, '--output', 'json'])).stdout,
    ) as Array<{ event: { type: string } }>;
    const at = fastTrack.findIndex((row) => row.event.type === 'APPLY_SUCCESS') + 1;
    const killed = await deploy(changeset('v4', { version: '4.0.0' }), 'fast-track', {
      CUTOVER_FAILPOINT: `before-append:${at}`,
    });
    assert.equal(killed.code, -1, 'killed by the failpoint');
    assert.deepEqual(
      (await getJson(project.url())).body,
      { version: '4.0.0' },
      'APPLY was done when it died',
    );
    const recover = await project.cli(['recover', '--output', 'json'], env);
    assert.equal(recover.code, 0, recover.stderr);
    assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
    assert.deepEqual(await serving(), before);
    assert.deepEqual(await containers(), before);
  });

  it('a runtime daemon killed and started again adopts the running containers', async () => {
    const [name] = (await serving()).map((line) => line.split(' ')[0]!);
    const startedAt = (
      await podman('container', 'inspect', '--format', '{{.State.StartedAt}}', name!)
    ).trim();
    process.kill((await status()).pid, 'SIGKILL');
    const started = await project.cli(['runtime', 'start']);
    assert.equal(started.code, 0, started.stderr);
    assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
    const after = (await podman('container', 'inspect', '--format', '{{.State.StartedAt}}', name!)).trim();
    assert.equal(after, startedAt, 'the same container, not a new one');
    assert.match(readFileSync(join(project.stateDir, 'runtime', 'daemon.log'), 'utf8'), /Adopting version/);
    assert.deepEqual(await containers(), await serving());
  });

  it('a container that exits at once fails APPLY with its last log lines', async () => {
    const command = ['node', '-e', 'console.error("boom from the container"); process.exit(3)'];
    const run = await deploy(changeset('v5', { version: '5.0.0', run: { command } }), 'fast-track');
    assert.equal(run.code, 1, run.stderr);
    const r = resultOf(run);
    assert.equal(r.failed_step, 'APPLY');
    exitedTag = r.artifact.tag;
    assert.match(
      r.reason,
      /exited with code 3 before it was healthy; last log lines:\nboom from the container/,
    );
    assert.deepEqual(await containers(), await serving());
  });

  it('a pull that fails is E_PULL_FAILED; podman missing is E_RUNNER_UNAVAILABLE', async () => {
    // Fault injection: a proxy in front of the real registry refuses podman's requests only.
    const proxy = await startFaultProxy(registry.url);
    try {
      useRegistry(proxy.url);
      proxy.arm({ kind: 'refuse-agent', agent: /containers\//, status: 503 });
      const proxied = base.replace(host, new URL(proxy.url).host);
      const run = await deploy(changeset('v6', { version: '6.0.0' }, proxied), 'fast-track');
      assert.equal(run.code, 1, run.stderr);
      const apply = resultOf(run).actions_log.find((e: { action: string }) => e.action === 'APPLY');
      assert.equal(apply?.code, 'E_PULL_FAILED', run.stdout);
      assert.match(
        run.stderr,
        new RegExp(`deploy failed at APPLY: cannot pull ${proxy.url.slice(7)}/team/shop@sha256:`),
      );
    } finally {
      useRegistry(registry.url);
      await proxy.close();
    }
    const noPodman = await deploy(changeset('v7', { version: '7.0.0' }), 'fast-track', {
      PATH: '/nonexistent',
    });
    assert.equal(noPodman.code, 1, noPodman.stderr);
    assert.match(noPodman.stderr, /deploy failed at APPLY: podman not found; apt-get install podman runc/);
    assert.deepEqual((await getJson(project.url())).body, { version: '2.0.0' });
    assert.deepEqual(await containers(), await serving());
  });

  it('cutover logs prints and follows a container version, and a stopped one by --version', async () => {
    const run = await deploy(
      changeset('v8', { version: '8.0.0', run: { command: ['node', '-e', CHATTY] } }),
      'fast-track',
    );
    assert.equal(run.code, 0, run.stderr);
    await fetch(`${project.url()}first`);
    const logs = await project.cli(['logs', 'production']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, 'served /first\n', "the app's own lines, not podman's log records");
    const follow = spawn(process.execPath, [CLI, 'logs', 'production', '--follow', '--lines', '0'], {
      cwd: project.dir,
      env: { ...process.env, CUTOVER_STATE_DIR: project.stateDir },
    });
    let followed = '';
    follow.stdout.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    try {
      await waitUntil(async () => {
        await fetch(`${project.url()}later`);
        return followed.includes('served /later\n');
      }, 'the followed log to show a new request');
    } finally {
      follow.kill('SIGINT');
    }
    const [code] = await new Promise<[number | null]>((resolve) => follow.once('exit', (c) => resolve([c])));
    assert.equal(code, 0);
    const old = await project.cli(['logs', 'production', '--version', resultOf(run).artifact.tag]);
    assert.equal(old.code, 0, old.stderr);
    const v5 = await project.cli(['logs', 'production', '--version', exitedTag]);
    assert.match(v5.stdout, /^boom from the container\n$/);
    const unknown = await project.cli(['logs', 'production', '--version', 'nope']);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /no output of nope in production/);
  });
});
