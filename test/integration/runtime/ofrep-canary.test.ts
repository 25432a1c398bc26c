import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { isInRollout } from '../../../src/core/bucketing.js';
import type { Flags } from '../../../src/ports/flags.js';
import type { TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { startServingRuntime } from '../../support/serving-runtime.js';

const FLAG = 'ff-142-api-orders';
const IDS = Array.from({ length: 1200 }, (_, i) => `user-${i}`);

/** Runs `each` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

describe('a 5 % flag over OFREP and a 95/5 canary split the same users', () => {
  let runtime: TestRuntime;
  let flags: Flags;
  let client: Client;
  let base = '';

  before(async () => {
    // What a canary deploy does: the flag name is the bucketing group of the split.
    const versions = { stable: '1.0.0', canary: '2.0.0' };
    ({ runtime, base } = await startServingRuntime(versions, { stable: 95, canary: 5 }, FLAG));
    flags = openSqliteFlags(join(runtime.stateDir, 'flags.db'));
    await flags.create(FLAG);
    await flags.set(FLAG, 'production', { state: 'on', percentage: 5 });
    await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: base }));
    client = OpenFeature.getClient();
  });

  after(async () => {
    await OpenFeature.close();
    await flags.dispose?.();
    await runtime.dispose();
  });

  test('the users who see the flag on are exactly the users the router sends to the canary', async () => {
    const on = new Set<string>();
    await inBatches(IDS, 50, async (id) => {
      const details = await client.getBooleanDetails(FLAG, false, { targetingKey: id });
      assert.equal(details.errorCode, undefined, `${id}: ${details.errorMessage}`);
      if (details.value) on.add(id);
    });
    assert.deepEqual(
      [...on].sort(),
      IDS.filter((id) => isInRollout(FLAG, id, 5)).sort(),
      'the flag is on for the 5 % bucket of the flag name',
    );
    assert.ok(on.size >= 30 && on.size <= 95, `${on.size} of ${IDS.length} users see the flag on`);

    // Every user the flag turns on, and 400 it does not, through the router.
    const routed = [...on, ...IDS.filter((id) => !on.has(id)).slice(0, 400)];
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    await inBatches(routed, 32, async (id) => {
      const reply = await httpRequest(`${base}/`, { agent, headers: { 'x-user-id': id } });
      const version = JSON.parse(reply.body).version as string;
      assert.equal(version, on.has(id) ? '2.0.0' : '1.0.0', `${id} was routed to ${version}`);
    });
    agent.destroy();
  });

  test('every version process is told where its environment evaluates flags', async () => {
    const canaryUser = IDS.find((id) => isInRollout(FLAG, id, 5)) as string;
    const stableUser = IDS.find((id) => !isInRollout(FLAG, id, 5)) as string;
    for (const [user, version] of [
      [canaryUser, '2.0.0'],
      [stableUser, '1.0.0'],
    ]) {
      for (const name of ['OFREP_URL', 'OFREP_ENDPOINT']) {
        const reply = await httpRequest(`${base}/env?name=${name}`, {
          headers: { 'x-user-id': user as string },
        });
        assert.deepEqual(JSON.parse(reply.body), { version, [name]: base });
      }
    }
  });
});
