import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FlagEnvironmentState } from '../../../src/ports/flags.js';
import type { FlagsSuite } from './flags-contract.js';

const OFF = { state: 'off', percentage: 0 } as const;

/** What cutover reads of a state; `native` is the store's own record of it (ports/flags.ts). */
function seen(state: FlagEnvironmentState | undefined) {
  return state && { state: state.state, percentage: state.percentage };
}

/** What a flag reads as after each write, and which writes are refused. */
export function describeFlagStates(suite: FlagsSuite): void {
  const flags = () => suite.harness().flags;

  it('an unknown flag reads undefined; once created it is off, 0 % in every environment', async () => {
    const flag = suite.fresh('create');
    assert.equal(seen(await flags().get(flag, 'production')), undefined);
    await flags().create(flag);
    assert.deepEqual(seen(await flags().get(flag, 'production')), OFF);
    assert.deepEqual(seen(await flags().get(flag, 'staging')), OFF);
  });

  it('creating a flag that exists is E_WRONG_STATE and changes nothing', async () => {
    const flag = suite.fresh('twice');
    await flags().create(flag);
    await flags().set(flag, 'production', { state: 'on', percentage: 5 });
    await assert.rejects(flags().create(flag), { code: 'E_WRONG_STATE' });
    assert.deepEqual(seen(await flags().get(flag, 'production')), { state: 'on', percentage: 5 });
  });

  it('get returns what set wrote, for that environment only; setting it again changes nothing', async () => {
    const flag = suite.fresh('set');
    await flags().create(flag);
    for (const state of [
      { state: 'on', percentage: 5 },
      { state: 'on', percentage: 100 },
      { state: 'off', percentage: 25 },
      { state: 'on', percentage: 0 },
    ] as const) {
      await flags().set(flag, 'production', state);
      await flags().set(flag, 'production', state);
      assert.deepEqual(seen(await flags().get(flag, 'production')), state);
    }
    assert.deepEqual(seen(await flags().get(flag, 'staging')), OFF);
  });

  it('setting an unknown flag is E_FLAG_MISSING and creates nothing', async () => {
    const flag = suite.fresh('missing');
    await assert.rejects(flags().set(flag, 'production', { state: 'on', percentage: 100 }), {
      code: 'E_FLAG_MISSING',
    });
    assert.equal(seen(await flags().get(flag, 'production')), undefined);
  });

  it('a percentage that is not a whole number from 0 to 100 is E_INVALID_INPUT; the state stays', async () => {
    const flag = suite.fresh('pct');
    await flags().create(flag);
    await flags().set(flag, 'production', { state: 'on', percentage: 5 });
    for (const percentage of [150, -1, 2.5])
      await assert.rejects(flags().set(flag, 'production', { state: 'on', percentage }), {
        code: 'E_INVALID_INPUT',
      });
    assert.deepEqual(seen(await flags().get(flag, 'production')), { state: 'on', percentage: 5 });
  });

  it('list names every flag with the states set; an environment it lists beside them reads off', async () => {
    const [a, b] = [suite.fresh('list-a'), suite.fresh('list-b')];
    await flags().create(a);
    await flags().create(b);
    await flags().set(a, 'production', { state: 'on', percentage: 5 });
    await flags().set(a, 'staging', { state: 'on', percentage: 100 });
    const listed = (await flags().list()).filter((f) => f.name === a || f.name === b);
    assert.deepEqual(listed.map((f) => f.name).sort(), [a, b].sort());
    const envs = (name: string) => listed.find((f) => f.name === name)!.environments;
    assert.deepEqual(envs(a).production, { state: 'on', percentage: 5 });
    assert.deepEqual(envs(a).staging, { state: 'on', percentage: 100 });
    for (const [env, state] of Object.entries(envs(b))) assert.deepEqual(state, OFF, `${b} in ${env}`);
  });

  it('a state read with get, given back to set, is restored exactly, whatever was set in between', async () => {
    const flag = suite.fresh('restore');
    await flags().create(flag);
    await flags().set(flag, 'production', { state: 'on', percentage: 25 });
    const before = await flags().get(flag, 'production');
    await flags().set(flag, 'production', { state: 'on', percentage: 5 });
    await flags().set(flag, 'production', { state: 'off', percentage: 0 });
    await flags().set(flag, 'production', before!);
    assert.deepEqual(await flags().get(flag, 'production'), before);
  });

  it('flags and their states survive a reopen', async () => {
    const flag = suite.fresh('durable');
    await flags().create(flag);
    await flags().set(flag, 'production', { state: 'on', percentage: 25 });
    const reopened = await suite.harness().reopen();
    assert.deepEqual(seen(await reopened.get(flag, 'production')), { state: 'on', percentage: 25 });
    assert.deepEqual(seen(await reopened.get(flag, 'staging')), OFF);
  });
}
