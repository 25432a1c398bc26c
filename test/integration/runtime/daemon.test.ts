import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../../src/runtime/client/daemon-control.js';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import { isAlive } from '../../../src/runtime/client/pid-file.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { findRestartablePort } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('runtime daemon lifecycle', () => {
  let dir = '';
  let stateDir = '';
  let v1: TestImage;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    stateDir = join(dir, 'state');
    v1 = await buildTestApp(dir, '1.0.0');
  });

  after(async () => {
    await stopDaemon(stateDir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('status and stop say so when no daemon runs', async () => {
    assert.deepEqual(await daemonStatus(stateDir), { running: false });
    assert.equal(await stopDaemon(stateDir), false);
  });

  test('start runs one daemon, writes its pid file and log; a second start reuses it', async () => {
    const client = await ensureDaemon(stateDir);
    const status = await daemonStatus(stateDir);
    assert.equal(status.running, true);
    const paths = resolveRuntimePaths(stateDir);
    assert.equal(Number(readFileSync(paths.pidFile, 'utf8')), status.pid);
    await ensureDaemon(stateDir);
    assert.equal((await client.status()).pid, status.pid);
    const firstLine = JSON.parse(readFileSync(paths.logFile, 'utf8').split('\n')[0] as string);
    assert.equal(firstLine.msg, 'Started');
  });

  test('stop + start keeps serving the same versions with the same weights on the same port', async () => {
    const client = await ensureDaemon(stateDir);
    const env = await client.putEnvironment('production', {
      port: await findRestartablePort(),
      group_id: 'ff-shop',
    });
    const started = await client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    await client.setWeights('production', { [v1.release.digest]: 100 });
    const base = `http://127.0.0.1:${env.port}`;
    assert.equal(JSON.parse((await httpRequest(`${base}/`)).body).version, '1.0.0');
    const daemonPid = (await client.status()).pid;

    assert.equal(await stopDaemon(stateDir), true);
    assert.equal(isAlive(daemonPid), false);
    assert.equal(isAlive(started.pid as number), false, 'the version process was stopped too');
    assert.deepEqual(await daemonStatus(stateDir), { running: false });
    await assert.rejects(httpRequest(`${base}/`), /ECONNREFUSED/);

    const restarted = await ensureDaemon(stateDir);
    const restored = await restarted.getEnvironment('production');
    assert.deepEqual([restored.port, restored.listening], [env.port, true]);
    assert.equal(restored.group_id, 'ff-shop');
    assert.equal(restored.versions.length, 1);
    assert.equal(restored.versions[0]?.release.digest, v1.release.digest);
    assert.equal(restored.versions[0]?.weight, 100);
    assert.equal(restored.versions[0]?.state, 'running');
    assert.equal(JSON.parse((await httpRequest(`${base}/`)).body).version, '1.0.0');
  });

  test('a stale pid file and socket left by a killed daemon do not block the next start', async () => {
    assert.equal(await stopDaemon(stateDir), true);
    const paths = resolveRuntimePaths(stateDir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.pidFile, `${dead.stdout.toString()}\n`);
    writeFileSync(paths.socket, '');
    const client = await ensureDaemon(stateDir);
    const status = await client.status();
    assert.notEqual(String(status.pid), dead.stdout.toString());
    assert.equal(status.environments[0]?.versions[0]?.state, 'running');
  });

  test('after a daemon was killed (-9), the next start reaps its orphaned version and starts it anew', async () => {
    const client = await ensureDaemon(stateDir);
    const before = await client.status();
    const orphan = before.environments[0]?.versions[0]?.pid as number;
    assert.ok(isAlive(orphan));
    process.kill(before.pid, 'SIGKILL');
    for (let i = 0; i < 100 && isAlive(before.pid); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(isAlive(orphan), 'versions outlive a killed daemon');
    const restarted = await ensureDaemon(stateDir);
    const after = await restarted.status();
    for (let i = 0; i < 100 && isAlive(orphan); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(orphan), false);
    assert.equal(after.environments[0]?.versions[0]?.state, 'running');
    assert.notEqual(after.environments[0]?.versions[0]?.pid, orphan);
  });
});
