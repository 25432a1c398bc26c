import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import { assertSnapshot, OPTIONS, serving, type TargetCase } from './target-contract.js';

/** route: the weights it accepts, the ones it refuses, and what serves after. */
export function describeTargetRouting(fresh: () => TargetCase): void {
  it('route swaps the weights whole: each snapshot shows the last ones, a version left out gets 0', async () => {
    const { target, environment, v1, v2, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 95, [v2.release.digest]: 5 });
    await assertSnapshot(target, serving(environment, [v1, 95], [v2, 5]));
    await target.route({ [v2.release.digest]: 100 });
    await assertSnapshot(target, serving(environment, [v1, 0], [v2, 100]));
    await assertServedBy(v2);
    await target.route({ [v1.release.digest]: 100, [v2.release.digest]: 0 }, { groupId: 'ff-contract' });
    await assertSnapshot(target, serving(environment, [v1, 100], [v2, 0]));
    await assertServedBy(v1);
  });

  it('weights not summing to 100, not whole numbers 0–100, or naming a version not running: E_INVALID_INPUT, nothing changes', async () => {
    const { target, environment, v1, v2, v3, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 });
    const [d1, d2] = [v1.release.digest, v2.release.digest];
    for (const weights of [
      { [d1]: 50 },
      { [d1]: 60, [d2]: 60 },
      { [d1]: 150, [d2]: -50 },
      { [d1]: 50.5, [d2]: 49.5 },
      { [d1]: 50, [v3.release.digest]: 50 },
    ]) {
      await assert.rejects(target.route(weights), (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_INVALID_INPUT', `${JSON.stringify(weights)}: ${err.message}`);
        return true;
      });
    }
    await assertSnapshot(target, serving(environment, [v1, 100], [v2, 0]));
    await assertServedBy(v1);
  });

  it('a snapshot is a copy: changing what it returned changes neither the target nor the next snapshot', async () => {
    const { target, environment, v1 } = fresh();
    const expected = serving(environment, [v1, 100]);
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 });
    const taken = await target.snapshot();
    taken.versions[0]!.weight = 50;
    taken.versions[0]!.release.tag = 'changed';
    taken.versions.push({ ...taken.versions[0]!, layoutDir: '/elsewhere' });
    await assertSnapshot(target, expected);
  });
}
