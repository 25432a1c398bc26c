import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('a version that crashes after it was healthy', () => {
  let runtime: TestRuntime;
  let v1: TestImage;
  let v2: TestImage;
  let base = '';

  before(async () => {
    runtime = await startTestRuntime();
    v1 = await buildTestApp(runtime.dir, '1.0.0');
    v2 = await buildTestApp(runtime.dir, '2.0.0');
    await runtime.client.putEnvironment('production', { port: 0 });
    await runtime.client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    await runtime.client.startVersion('production', { ...v2, healthTimeoutMs: 15_000 });
    await runtime.client.setWeights('production', { [v2.release.digest]: 50, [v1.release.digest]: 50 });
    base = await routerUrl(runtime.client, 'production');
  });

  after(async () => {
    await runtime.dispose();
  });

  const stateOf = async (digest: string) =>
    (await runtime.client.getEnvironment('production')).versions.find((v) => v.release.digest === digest);

  test('is marked unhealthy and logged; its users go to the version that still runs', async () => {
    const crashed = await stateOf(v2.release.digest);
    process.kill(crashed?.pid as number, 'SIGKILL');
    for (let i = 0; i < 200 && (await stateOf(v2.release.digest))?.state !== 'unhealthy'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await stateOf(v2.release.digest))?.state, 'unhealthy');
    for (let i = 0; i < 50; i++) {
      const reply = await httpRequest(`${base}/`, { headers: { 'x-user-id': `user-${i}` } });
      assert.equal(reply.status, 200);
      assert.equal(JSON.parse(reply.body).version, '1.0.0');
    }
    const log = readFileSync(resolveRuntimePaths(runtime.stateDir).logFile, 'utf8');
    assert.match(log, /"msg":"Version exited".*"exit":"was killed by SIGKILL"/);
    await assert.rejects(
      runtime.client.setWeights('production', { [v2.release.digest]: 100 }),
      /is unhealthy, only a running healthy version can take traffic/,
    );
  });

  test('starting it again replaces the crashed process', async () => {
    const restarted = await runtime.client.startVersion('production', { ...v2, healthTimeoutMs: 15_000 });
    assert.equal(restarted.state, 'running');
    await runtime.client.setWeights('production', { [v2.release.digest]: 100, [v1.release.digest]: 0 });
    const reply = await httpRequest(`${base}/`);
    assert.equal(JSON.parse(reply.body).version, '2.0.0');
  });
});
