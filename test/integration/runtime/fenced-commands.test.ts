import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import { ensureDaemon, stopDaemon, RuntimeClient } from '../../../src/runtime/client/daemon-control.js';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import type { EnvironmentLocks, LockHandle } from '../../../src/ports/lock.js';
import { elsewhere, fakeClock, here, TTL } from '../../contract/lock/lock-contract.js';
import { buildTestApp, type TestImage } from '../../support/runtime-apps.js';
import { startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';

/** A change sent with a raw `cutover-fence` header, as a client of another make would send it. */
function putWeightsWithHeader(socketPath: string, fence: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: 'PUT', path: '/envs/production/weights', headers: { 'cutover-fence': fence } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end('{}');
  });
}

describe('the runtime refuses the target commands of a lease that was taken over', () => {
  let rt: TestRuntime;
  let v1: TestImage;
  let v2: TestImage;
  const clock = fakeClock();
  const stores: EnvironmentLocks[] = [];
  const open = (file: string) => {
    const locks = openSqliteLocks(join(rt.dir, file), { clock });
    stores.push(locks);
    return locks;
  };
  const client = (lease: LockHandle | undefined) =>
    new RuntimeClient(rt.client.socketPath).fenced(() => lease?.fence);

  before(async () => {
    rt = await startTestRuntime();
    [v1, v2] = [await buildTestApp(rt.dir, '1.0.0'), await buildTestApp(rt.dir, '2.0.0')];
  });

  after(async () => {
    for (const s of stores) await s.close();
    await rt.dispose();
  });

  test('A stalls past its lease, B takes over: A’s changes are 409 E_STALE_FENCING_TOKEN and change nothing, across a daemon restart', async () => {
    const [a, b] = [open('locks.db'), open('locks.db')];
    const stalled = await a.acquire('production', elsewhere('alice'), 'deploy 1.0.0', TTL);
    const asA = client(stalled);
    await asA.putEnvironment('production', { port: 0 });
    await asA.startVersion('production', { ...v1, healthTimeoutMs: 15_000 });
    await asA.setWeights('production', { [v1.release.digest]: 100 });

    clock.advance(30_001);
    const taker = await b.acquire('production', here('bob'), 'deploy 2.0.0', TTL);
    assert.ok(taker.takenOver);
    const asB = client(taker);
    await asB.startVersion('production', { ...v2, healthTimeoutMs: 15_000 });
    await asB.setWeights('production', { [v2.release.digest]: 100 });

    const stale = {
      code: 'E_STALE_FENCING_TOKEN',
      message: `command refused: the lease on production with fencing token ${stalled.fence.token} was taken over (this runtime has seen token ${taker.fence.token}); the executor that sent it stalled past its lease`,
    };
    await assert.rejects(asA.setWeights('production', { [v1.release.digest]: 100 }), stale);
    await assert.rejects(asA.stopVersion('production', v2.release.digest, 1_000), stale);
    await assert.rejects(asA.publishFlags('production', []), stale);
    await assert.rejects(asA.putEnvironment('production', { port: 0, group_id: 'other' }), stale);
    const served = await rt.client.getEnvironment('production');
    assert.deepEqual(served.versions.map((v) => [v.release.tag, v.weight]).sort(), [
      [v1.release.tag, 0],
      [v2.release.tag, 100],
    ]);

    await stopDaemon(rt.stateDir);
    const restarted = new RuntimeClient((await ensureDaemon(rt.stateDir)).socketPath).fenced(
      () => stalled.fence,
    );
    await assert.rejects(restarted.setWeights('production', { [v1.release.digest]: 100 }), stale);
    assert.equal(
      (await rt.client.getEnvironment('production')).versions.find((v) => v.weight === 100)?.release.tag,
      v2.release.tag,
    );
  });

  test('tokens of another store are another count; reads and unfenced changes (runtime verbs) pass', async () => {
    const other = open('other-locks.db');
    const lease = await other.acquire('production', here('carol'), 'deploy 2.0.0', TTL);
    const first = await open('locks.db').acquire('staging', here('carol'), 'deploy 2.0.0', TTL);
    assert.notEqual(lease.fence.store, first.fence.store);
    assert.equal(lease.fence.token, 1);
    await client(lease).setWeights('production', { [v2.release.digest]: 100 });
    await client(undefined).setWeights('production', { [v2.release.digest]: 100 });
    assert.equal((await client(undefined).getEnvironment('production')).versions.length, 2);
  });

  test('a fence of another environment is 400: a lease on staging changes nothing in production', async () => {
    const reply = await putWeightsWithHeader(resolveRuntimePaths(rt.stateDir).socket, 'abc123:staging:99');
    assert.equal(reply.status, 400);
    assert.equal(
      JSON.parse(reply.body).message,
      'cutover-fence: the lease is on staging, the request changes production',
    );
  });

  test('a malformed fence is 400 E_INVALID_INPUT naming the header', async () => {
    const reply = await putWeightsWithHeader(resolveRuntimePaths(rt.stateDir).socket, 'store:production:-1');
    assert.equal(reply.status, 400);
    assert.deepEqual(JSON.parse(reply.body), {
      code: 'E_INVALID_INPUT',
      message: 'cutover-fence: must be <store>:<environment>:<token>',
      details: {},
    });
  });
});
