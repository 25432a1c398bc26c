import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCutoverError } from '../../../src/core/errors.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('runtime versions: start, health, failures', () => {
  let runtime: TestRuntime;
  let v1: TestImage;
  let base = '';

  before(async () => {
    runtime = await startTestRuntime();
    v1 = await buildTestApp(runtime.dir, '1.0.0', { healthPath: '/healthz' });
    await runtime.client.putEnvironment('production', { port: 0 });
    base = await routerUrl(runtime.client, 'production');
  });

  after(async () => {
    await runtime.dispose();
  });

  test('starts a version, waits for its health path, and serves it once routed', async () => {
    const started = await runtime.client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    assert.equal(started.state, 'running');
    assert.equal(started.health_path, '/healthz');
    assert.equal(started.weight, 0);
    assert.ok(started.pid !== null && started.pid > 0);
    // Idempotent by digest: the same process answers.
    const again = await runtime.client.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    assert.equal(again.pid, started.pid);
    await runtime.client.setWeights('production', { [v1.release.digest]: 100 });
    const reply = await httpRequest(`${base}/`);
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.body).version, '1.0.0');
  });

  test('a version that never answers 200 fails with E_HEALTH_TIMEOUT; the old one keeps serving', async () => {
    const sick = await buildTestApp(runtime.dir, '2.0.0-sick', { mode: 'never-healthy' });
    await assert.rejects(
      runtime.client.startVersion('production', { ...sick, healthTimeoutMs: 4000 }),
      (err: unknown) => {
        assert.ok(isCutoverError(err));
        assert.equal(err.code, 'E_HEALTH_TIMEOUT');
        assert.match(err.message, /did not answer 200 on \/health within 4000 ms \(last: status 503\)/);
        assert.match(err.message, /listening on/);
        return true;
      },
    );
    const env = await runtime.client.getEnvironment('production');
    assert.deepEqual(
      env.versions.map((v) => v.release.digest),
      [v1.release.digest],
    );
    const reply = await httpRequest(`${base}/`);
    assert.equal(JSON.parse(reply.body).version, '1.0.0');
  });

  test('a version that exits at start fails with E_APPLY_FAILED, its code and its log', async () => {
    const broken = await buildTestApp(runtime.dir, '3.0.0-broken', { mode: 'exit' });
    await assert.rejects(
      runtime.client.startVersion('production', { ...broken, healthTimeoutMs: 15_000 }),
      (err: unknown) => {
        assert.ok(isCutoverError(err));
        assert.equal(err.code, 'E_APPLY_FAILED');
        assert.match(err.message, /exited with code 3/);
        assert.match(err.message, /boom: DATABASE_URL is not set/);
        return true;
      },
    );
    const reply = await httpRequest(`${base}/`);
    assert.equal(JSON.parse(reply.body).version, '1.0.0');
  });

  test('weights must name running versions and sum to 100', async () => {
    await assert.rejects(
      runtime.client.setWeights('production', { [v1.release.digest]: 90 }),
      /weights sum to 90/,
    );
    const unknown = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(
      runtime.client.setWeights('production', { [unknown]: 100 }),
      (err: unknown) =>
        isCutoverError(err) &&
        err.code === 'E_INVALID_INPUT' &&
        err.message.includes('is not running in production'),
    );
  });

  test('a router port taken by something else is a clear E_RUNTIME_UNAVAILABLE', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      await assert.rejects(runtime.client.putEnvironment('staging', { port }), (err: unknown) => {
        assert.ok(isCutoverError(err));
        assert.equal(err.code, 'E_RUNTIME_UNAVAILABLE');
        assert.equal(
          err.message,
          `cannot listen on 127.0.0.1:${port} for environment staging: address in use`,
        );
        return true;
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test('stopping is idempotent and leaves nothing serving', async () => {
    assert.equal(await runtime.client.stopVersion('production', v1.release.digest, 1000), true);
    assert.equal(await runtime.client.stopVersion('production', v1.release.digest, 1000), false);
    const reply = await httpRequest(`${base}/`);
    assert.equal(reply.status, 503);
  });
});
