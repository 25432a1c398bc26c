import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { httpRequest } from '../../support/runtime-http.js';
import { startTraffic } from '../../support/traffic.js';
import { useServingRuntime } from '../../support/serving-runtime.js';

describe('switching versions under load', () => {
  const served = useServingRuntime({ v1: '1.0.0' }, { v1: 100 });
  let v2: TestImage;

  before(async () => {
    v2 = await buildTestApp(served.runtime.dir, '2.0.0');
  });

  test('start, switch to 100 % and drain the old version without failing one request', async () => {
    const load = startTraffic(`${served.base}/`, 16);
    const waitForAnswers = async (version: string) => {
      for (let i = 0; i < 200; i++) {
        const reply = await httpRequest(`${served.base}/`);
        if (JSON.parse(reply.body).version === version) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await waitForAnswers('1.0.0');
    await served.runtime.client.startVersion('production', { ...v2, healthTimeoutMs: 15_000 });
    await served.runtime.client.setWeights('production', {
      [v2.release.digest]: 10,
      [served.apps.v1.release.digest]: 90,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await served.runtime.client.setWeights('production', {
      [v2.release.digest]: 100,
      [served.apps.v1.release.digest]: 0,
    });
    await served.runtime.client.stopVersion('production', served.apps.v1.release.digest, 10_000);
    await waitForAnswers('2.0.0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const report = await load.stop();

    assert.deepEqual(report.failures, []);
    assert.equal(report.failed, 0);
    assert.ok((report.versions['1.0.0'] ?? 0) > 0, `1.0.0 answered: ${JSON.stringify(report.versions)}`);
    assert.ok((report.versions['2.0.0'] ?? 0) > 0, `2.0.0 answered: ${JSON.stringify(report.versions)}`);
    const env = await served.runtime.client.getEnvironment('production');
    assert.deepEqual(
      env.versions.map((v) => [v.release.tag, v.weight]),
      [[v2.release.tag, 100]],
    );
  });
});
