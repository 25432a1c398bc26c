import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import { httpRequest } from '../../support/runtime-http.js';
import { useServingRuntime } from '../../support/serving-runtime.js';

describe('a version that crashes after it was healthy', () => {
  const served = useServingRuntime({ v1: '1.0.0', v2: '2.0.0' }, { v2: 50, v1: 50 });

  const stateOf = async (digest: string) =>
    (await served.runtime.client.getEnvironment('production')).versions.find(
      (v) => v.release.digest === digest,
    );

  test('is marked unhealthy and logged; its users go to the version that still runs', async () => {
    const crashed = await stateOf(served.apps.v2.release.digest);
    process.kill(crashed?.pid as number, 'SIGKILL');
    for (let i = 0; i < 200 && (await stateOf(served.apps.v2.release.digest))?.state !== 'unhealthy'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await stateOf(served.apps.v2.release.digest))?.state, 'unhealthy');
    for (let i = 0; i < 50; i++) {
      const reply = await httpRequest(`${served.base}/`, { headers: { 'x-user-id': `user-${i}` } });
      assert.equal(reply.status, 200);
      assert.equal(JSON.parse(reply.body).version, '1.0.0');
    }
    const log = readFileSync(resolveRuntimePaths(served.runtime.stateDir).logFile, 'utf8');
    assert.match(log, /"msg":"Version exited".*"exit":"was killed by SIGKILL"/);
    await assert.rejects(
      served.runtime.client.setWeights('production', { [served.apps.v2.release.digest]: 100 }),
      /is unhealthy, only a running healthy version can take traffic/,
    );
  });

  test('starting it again replaces the crashed process', async () => {
    const restarted = await served.runtime.client.startVersion('production', {
      ...served.apps.v2,
      healthTimeoutMs: 15_000,
    });
    assert.equal(restarted.state, 'running');
    await served.runtime.client.setWeights('production', {
      [served.apps.v2.release.digest]: 100,
      [served.apps.v1.release.digest]: 0,
    });
    const reply = await httpRequest(`${served.base}/`);
    assert.equal(JSON.parse(reply.body).version, '2.0.0');
  });
});
