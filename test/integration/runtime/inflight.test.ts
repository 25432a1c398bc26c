import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('in-flight requests across a weight change and a drain', () => {
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
    await runtime.client.setWeights('production', { [v1.release.digest]: 100 });
    base = await routerUrl(runtime.client, 'production');
  });

  after(async () => {
    await runtime.dispose();
  });

  const inflightOf = async (digest: string): Promise<number> => {
    const env = await runtime.client.getEnvironment('production');
    return env.versions.find((v) => v.release.digest === digest)?.inflight ?? -1;
  };

  test('slow requests on the old version complete after it went to weight 0 and while it drains', async () => {
    const agent = new Agent({ keepAlive: true });
    const slow = Array.from({ length: 8 }, (_, i) =>
      httpRequest(`${base}/slow?ms=4000`, { agent, headers: { 'x-user-id': `slow-${i}` } }),
    );
    for (let i = 0; i < 200 && (await inflightOf(v1.release.digest)) < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await inflightOf(v1.release.digest), 8);

    await runtime.client.setWeights('production', { [v2.release.digest]: 100, [v1.release.digest]: 0 });
    const fresh = await httpRequest(`${base}/`, { agent });
    assert.equal(JSON.parse(fresh.body).version, '2.0.0');
    assert.equal(await inflightOf(v1.release.digest), 8, 'weight 0 keeps in-flight requests');

    const stopped = await runtime.client.stopVersion('production', v1.release.digest, 20_000);
    assert.equal(stopped, true);
    const replies = await Promise.all(slow);
    agent.destroy();
    for (const reply of replies) {
      assert.equal(reply.status, 200);
      assert.deepEqual(JSON.parse(reply.body), { version: '1.0.0', slow: true });
    }
  });
});
