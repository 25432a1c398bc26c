import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import { assertSnapshot, OPTIONS, serving, type TargetCase } from './target-contract.js';

/** start, stop and what snapshot says after each. */
export function describeTargetLifecycle(fresh: () => TargetCase): void {
  it('a new environment serves nothing: its snapshot is empty and named after it', async () => {
    const { target, environment } = fresh();
    assert.equal(target.environment, environment);
    await assertSnapshot(target, { environment, versions: [] });
  });

  it('start runs a version beside the others with no traffic; starting it again changes nothing', async () => {
    const { target, environment, v1, v2, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await assertSnapshot(target, serving(environment, [v1, 0]));
    await target.route({ [v1.release.digest]: 100 });
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.start(v1.release, `${v1.layoutDir}-elsewhere`, OPTIONS);
    await assertSnapshot(target, serving(environment, [v1, 100], [v2, 0]));
    await assertServedBy(v1);
  });

  it('a version that never gets healthy fails start with E_HEALTH_TIMEOUT and leaves nothing behind', async () => {
    const { target, environment, v1, neverHealthy, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100 });
    await assert.rejects(
      target.start(neverHealthy.release, neverHealthy.layoutDir, { ...OPTIONS, healthTimeoutMs: 1_500 }),
      (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_HEALTH_TIMEOUT', err.message);
        return true;
      },
    );
    await assertSnapshot(target, serving(environment, [v1, 100]));
    await assertServedBy(v1);
  });

  it('stop removes a version; stopping it again, or one never started, changes nothing', async () => {
    const { target, environment, v1, v2, v3, assertServedBy } = fresh();
    await target.start(v1.release, v1.layoutDir, OPTIONS);
    await target.start(v2.release, v2.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 100, [v2.release.digest]: 0 });
    await target.stop(v2.release.digest, OPTIONS);
    await target.stop(v2.release.digest, OPTIONS);
    await target.stop(v3.release.digest, OPTIONS);
    await assertSnapshot(target, serving(environment, [v1, 100]));
    await assertServedBy(v1);
  });

  it('stopping a version with traffic gives its share to the version with the largest weight', async () => {
    const { target, environment, v1, v2, v3, assertServedBy } = fresh();
    for (const v of [v1, v2, v3]) await target.start(v.release, v.layoutDir, OPTIONS);
    await target.route({ [v1.release.digest]: 70, [v2.release.digest]: 25, [v3.release.digest]: 5 });
    await target.stop(v3.release.digest, OPTIONS);
    await assertSnapshot(target, serving(environment, [v1, 75], [v2, 25]), 'the weights still sum to 100');
    await target.stop(v1.release.digest, OPTIONS);
    await assertSnapshot(target, serving(environment, [v2, 100]));
    await assertServedBy(v2);
  });
}
