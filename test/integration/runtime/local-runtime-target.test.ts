import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRuntimeTarget } from '../../../src/adapters/target/local-runtime.js';
import type { Target } from '../../../src/ports/target.js';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../../src/runtime/client/daemon-control.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { findRestartablePort } from '../../support/runtime-daemon.js';

// What every Target must do is in test/contract/target; this is what is particular to the local
// runtime: the daemon behind it, started on first use and again after it stopped, and the
// bucketing group its router splits by.
describe('local runtime Target adapter', () => {
  let dir = '';
  let stateDir = '';
  let target: Target;
  let v1: TestImage;
  const options = { healthTimeoutMs: 15_000, drainTimeoutMs: 5_000 };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    stateDir = join(dir, 'state');
    v1 = await buildTestApp(dir, '1.0.0');
    const port = await findRestartablePort();
    target = createLocalRuntimeTarget({ stateDir, environment: 'production', port, groupId: 'ff-shop' });
  });

  after(async () => {
    await stopDaemon(stateDir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts the daemon and the router on first use', async () => {
    assert.deepEqual(await target.snapshot(), {
      environment: 'production',
      versions: [],
      groupId: 'ff-shop',
    });
    assert.equal((await daemonStatus(stateDir)).running, true);
    const client = await ensureDaemon(stateDir);
    assert.equal((await client.getEnvironment('production')).group_id, 'ff-shop');
  });

  test('route with a group id makes it the bucketing group, in the same swap', async () => {
    await target.start(v1.release, v1.layoutDir, options);
    await target.route({ [v1.release.digest]: 100 }, { groupId: 'ff-142-api-orders' });
    const client = await ensureDaemon(stateDir);
    assert.equal((await client.getEnvironment('production')).group_id, 'ff-142-api-orders');
  });

  test('a daemon stopped in between is started again and restores what ran', async () => {
    const stable = await target.snapshot();
    assert.deepEqual(stable.versions, [{ release: v1.release, weight: 100, layoutDir: v1.layoutDir }]);
    assert.equal(await stopDaemon(stateDir), true);
    // The versions come back; the group is the one this target was created with (groupId option).
    assert.deepEqual((await target.snapshot()).versions, stable.versions);
    await target.restore({ environment: 'production', versions: [] }, options);
    assert.deepEqual((await target.snapshot()).versions, []);
  });
});
