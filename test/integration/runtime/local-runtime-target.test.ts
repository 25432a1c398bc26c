import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRuntimeTarget } from '../../../src/adapters/target/local-runtime.js';
import { isCutoverError } from '../../../src/core/errors.js';
import type { Target, TargetSnapshot } from '../../../src/ports/target.js';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../../src/runtime/client/daemon-control.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { findRestartablePort } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';

describe('local runtime Target adapter', () => {
  let dir = '';
  let stateDir = '';
  let target: Target;
  let v1: TestImage;
  let v2: TestImage;
  const options = { healthTimeoutMs: 15_000, drainTimeoutMs: 5_000 };

  const versionAtRouter = async (): Promise<string> => {
    const client = await ensureDaemon(stateDir);
    const env = await client.getEnvironment('production');
    return JSON.parse((await httpRequest(`http://127.0.0.1:${env.port}/`)).body).version as string;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    stateDir = join(dir, 'state');
    v1 = await buildTestApp(dir, '1.0.0');
    v2 = await buildTestApp(dir, '2.0.0');
    const port = await findRestartablePort();
    target = createLocalRuntimeTarget({ stateDir, environment: 'production', port, groupId: 'ff-shop' });
  });

  after(async () => {
    await stopDaemon(stateDir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts the daemon and the router on first use; nothing deployed yet', async () => {
    assert.deepEqual(await target.snapshot(), { environment: 'production', versions: [] });
    assert.equal((await daemonStatus(stateDir)).running, true);
  });

  let stable: TargetSnapshot;

  test('start, route and snapshot', async () => {
    await target.start(v1.release, v1.layoutDir, options);
    await target.start(v1.release, v1.layoutDir, options);
    await target.route({ [v1.release.digest]: 100 });
    stable = await target.snapshot();
    assert.deepEqual(stable, {
      environment: 'production',
      versions: [{ release: v1.release, weight: 100, layoutDir: v1.layoutDir }],
    });
    assert.equal(await versionAtRouter(), '1.0.0');
  });

  test('route with a group id makes it the bucketing group, in the same swap', async () => {
    await target.route({ [v1.release.digest]: 100 }, { groupId: 'ff-142-api-orders' });
    const client = await ensureDaemon(stateDir);
    assert.equal((await client.getEnvironment('production')).group_id, 'ff-142-api-orders');
  });

  test('route rejects weights that do not sum to 100 with E_INVALID_INPUT', async () => {
    await assert.rejects(target.route({ [v1.release.digest]: 50 }), (err: unknown) => {
      return isCutoverError(err) && err.code === 'E_INVALID_INPUT';
    });
  });

  test('restore puts back the earlier snapshot: the canary stopped, the stable version at 100 %', async () => {
    await target.start(v2.release, v2.layoutDir, options);
    await target.route({ [v2.release.digest]: 100, [v1.release.digest]: 0 });
    assert.equal(await versionAtRouter(), '2.0.0');
    await target.restore(stable, options);
    assert.deepEqual(await target.snapshot(), stable);
    assert.equal(await versionAtRouter(), '1.0.0');
    await target.restore(stable, options);
    assert.deepEqual(await target.snapshot(), stable);
  });

  test('restore starts a version that stopped, from its layout', async () => {
    await target.stop(v1.release.digest, options);
    await target.stop(v1.release.digest, options);
    assert.deepEqual((await target.snapshot()).versions, []);
    await target.restore(stable, options);
    assert.deepEqual(await target.snapshot(), stable);
    assert.equal(await versionAtRouter(), '1.0.0');
  });

  test('a daemon stopped in between is started again and restores what ran', async () => {
    assert.equal(await stopDaemon(stateDir), true);
    assert.deepEqual(await target.snapshot(), stable);
    await target.restore({ environment: 'production', versions: [] }, options);
    assert.deepEqual((await target.snapshot()).versions, []);
  });
});
