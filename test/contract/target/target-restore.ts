import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertSnapshot, OPTIONS, serving, type TargetCase } from './target-contract.js';

/** restore: what a rollback puts back, whatever ran since. */
export function describeTargetRestore(fresh: () => TargetCase): void {
  it('restore puts back an earlier snapshot, stopping what came since; again, it changes nothing', async () => {
    const { target, v1, v2, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 });
    const stable = await target.snapshot();
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v2.release.digest]: 100, [v1.release.digest]: 0 });
    await target.restore(stable, OPTIONS);
    await assertSnapshot(target, stable);
    await assertServedBy(v1);
    await target.restore(stable, OPTIONS);
    await assertSnapshot(target, stable);
  });

  it('restore puts back the bucketing group the snapshot names, with the weights', async () => {
    const { target, environment, v1, v2 } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 }, { groupId: 'ff-stable' });
    const stable = await target.snapshot();
    assert.equal(stable.groupId, 'ff-stable', 'the snapshot names the group');
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 95, [v2.release.digest]: 5 }, { groupId: 'ff-canary' });
    assert.equal((await target.snapshot()).groupId, 'ff-canary');
    await target.restore(stable, OPTIONS);
    await assertSnapshot(target, { ...serving(environment, [v1, 100]), groupId: 'ff-stable' });
  });

  it('restore starts versions that stopped since, from their layouts, at their weights', async () => {
    const { target, environment, v1, v2, v3 } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 95, [v2.release.digest]: 5 });
    const canary = await target.snapshot();
    await target.start(v3.release, v3.layoutDir, OPTIONS);
    await target.route({ [v3.release.digest]: 100 });
    await target.stop(v1.release.digest, OPTIONS);
    await target.stop(v2.release.digest, OPTIONS);
    await assertSnapshot(target, serving(environment, [v3, 100]));
    await target.restore(canary, OPTIONS);
    await assertSnapshot(target, serving(environment, [v1, 95], [v2, 5]));
  });

  it('restore to the empty snapshot stops everything', async () => {
    const { target, environment, v1, v2, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 });
    await target.restore({ environment, versions: [] }, OPTIONS);
    await assertSnapshot(target, { environment, versions: [] });
    await assertServedBy(undefined);
  });

  it('changing a snapshot after restoring it changes nothing', async () => {
    const { target, environment, v1 } = fresh();
    const expected = serving(environment, [v1, 100]);
    const wanted = serving(environment, [v1, 100]);
    await target.restore(wanted, OPTIONS);
    wanted.versions[0]!.weight = 0;
    wanted.versions[0]!.release.tag = 'changed';
    await assertSnapshot(target, expected);
  });
}
