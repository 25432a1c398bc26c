import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createUnleashFlags } from '../../../src/adapters/flags/unleash-flags.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { skipUnlessUnleash, unleashPerFile } from '../../support/unleash.js';
import { startUnleashSdk, type UnleashSdk } from '../../support/unleash-sdk.js';

const unleash = unleashPerFile();
const FLAG = 'ff-142-api-orders';
const USERS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

// The proof (issue 16, "Same users, proven"): with the flag at 5 % in Unleash, the users
// the router sends to the canary (by its own bucketing, group = the flag) are exactly those the
// official SDK, reading Unleash with a production backend token, evaluates the flag on for.
describe('a 5 % canary whose flag lives in Unleash', { skip: skipUnlessUnleash() }, () => {
  let runtime: TestRuntime;
  let sdk: UnleashSdk;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });

  before(async () => {
    const server = await unleash();
    sdk = await startUnleashSdk(server);
    runtime = await startTestRuntime();
    const [stable, canary] = await Promise.all(['1.0.0', '2.0.0'].map((v) => buildTestApp(runtime.dir, v)));
    await runtime.client.putEnvironment('production', { port: 0 });
    for (const image of [stable!, canary!])
      await runtime.client.startVersion('production', { ...image, healthTimeoutMs: 15_000 });
    await runtime.client.setWeights(
      'production',
      { [stable!.release.digest]: 95, [canary!.release.digest]: 5 },
      FLAG,
    );
    const flags = createUnleashFlags({
      url: server.url,
      project: 'default',
      token: server.adminToken,
      tokenEnv: 'UNLEASH_TOKEN',
      environments: { production: 'production' },
    });
    await flags.create(FLAG);
    await flags.set(FLAG, 'production', { state: 'on', percentage: 5 });
  });
  after(async () => {
    agent.destroy();
    sdk?.destroy();
    await runtime?.dispose();
  });

  it('the router sends to the canary exactly the users the unleash-client SDK sees the flag on for', async () => {
    const base = await routerUrl(runtime.client, 'production');
    const routed: boolean[] = [];
    for (let i = 0; i < USERS.length; i += 50) {
      const batch = USERS.slice(i, i + 50).map(async (user) => {
        const reply = await httpRequest(`${base}/`, { agent, headers: { 'x-user-id': user } });
        assert.equal(reply.status, 200, reply.body);
        return (JSON.parse(reply.body) as { version: string }).version === '2.0.0';
      });
      routed.push(...(await Promise.all(batch)));
    }
    const on = await sdk.seenOn(FLAG, { state: 'on', percentage: 5 }, USERS);
    const canaryUsers = USERS.filter((_, i) => routed[i]);
    const sdkUsers = USERS.filter((_, i) => on[i]);
    assert.ok(
      canaryUsers.length > 40 && canaryUsers.length < 160,
      `${canaryUsers.length} of 2,000 on the canary`,
    );
    assert.deepEqual(canaryUsers, sdkUsers);
  });
});
