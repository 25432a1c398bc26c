import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bucketOf } from '../../../src/core/bucketing.js';
import type { FlagEnvironmentState } from '../../../src/core/model/flag.js';
import type { FlagsSuite } from './flags-contract.js';

const USERS = Array.from({ length: 300 }, (_, i) => `user-${i}`);

/**
 * A percentage means the same users everywhere: those whose Unleash bucket
 * (murmur3 of `flag:user` mod 100, + 1) is at most the percentage, the users the router sends to
 * a canary split by the same flag name. Computed here from core/bucketing, the router's function.
 */
export function describeFlagBucketing(suite: FlagsSuite): void {
  const skip = () => (suite.harness().seenOn ? false : 'this store has no evaluation API of its own');

  async function seen(flag: string, state: FlagEnvironmentState): Promise<boolean[]> {
    await suite.harness().flags.set(flag, 'production', state);
    return suite.harness().seenOn!(flag, USERS);
  }

  it('at p % the flag is on for exactly the users whose bucket is at most p', async (t) => {
    if (skip()) return t.skip(String(skip()));
    const flag = suite.fresh('bucket');
    await suite.harness().flags.create(flag);
    for (const percentage of [5, 25, 50]) {
      const expected = USERS.map((u) => bucketOf(flag, u) <= percentage);
      assert.deepEqual(await seen(flag, { state: 'on', percentage }), expected, `${percentage} %`);
    }
  });

  it('off is nobody whatever the percentage; on at 0 % nobody; on at 100 % everybody', async (t) => {
    if (skip()) return t.skip(String(skip()));
    const flag = suite.fresh('edges');
    await suite.harness().flags.create(flag);
    const nobody = USERS.map(() => false);
    assert.deepEqual(await seen(flag, { state: 'off', percentage: 50 }), nobody);
    assert.deepEqual(await seen(flag, { state: 'on', percentage: 0 }), nobody);
    assert.deepEqual(
      await seen(flag, { state: 'on', percentage: 100 }),
      USERS.map(() => true),
    );
  });
}
