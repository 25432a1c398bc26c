import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { httpRequest } from '../../support/runtime-http.js';
import { useServingRuntime } from '../../support/serving-runtime.js';

describe('in-flight requests across a weight change and a drain', () => {
  const served = useServingRuntime({ v1: '1.0.0', v2: '2.0.0' }, { v1: 100 });

  const inflightOf = async (digest: string): Promise<number> => {
    const env = await served.runtime.client.getEnvironment('production');
    return env.versions.find((v) => v.release.digest === digest)?.inflight ?? -1;
  };

  test('slow requests on the old version complete after it went to weight 0 and while it drains', async () => {
    const agent = new Agent({ keepAlive: true });
    const slow = Array.from({ length: 8 }, (_, i) =>
      httpRequest(`${served.base}/slow?ms=4000`, { agent, headers: { 'x-user-id': `slow-${i}` } }),
    );
    for (let i = 0; i < 200 && (await inflightOf(served.apps.v1.release.digest)) < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await inflightOf(served.apps.v1.release.digest), 8);

    await served.runtime.client.setWeights('production', {
      [served.apps.v2.release.digest]: 100,
      [served.apps.v1.release.digest]: 0,
    });
    const fresh = await httpRequest(`${served.base}/`, { agent });
    assert.equal(JSON.parse(fresh.body).version, '2.0.0');
    assert.equal(await inflightOf(served.apps.v1.release.digest), 8, 'weight 0 keeps in-flight requests');

    const stopped = await served.runtime.client.stopVersion(
      'production',
      served.apps.v1.release.digest,
      20_000,
    );
    assert.equal(stopped, true);
    const replies = await Promise.all(slow);
    agent.destroy();
    for (const reply of replies) {
      assert.equal(reply.status, 200);
      assert.deepEqual(JSON.parse(reply.body), { version: '1.0.0', slow: true });
    }
  });
});
