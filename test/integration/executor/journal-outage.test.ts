import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driveDeploy } from '../../../src/executor/drive-deploy.js';
import { promoteCanary } from '../../../src/executor/follow-ups.js';
import { createOutageWorld, serving } from '../../support/journal-outage-world.js';

const OBSERVING = /observing the canary/;

test('a journal busy for 10 s while the canary is observed: the deploy waits for it and carries on', async () => {
  const world = await createOutageWorld({ when: OBSERVING, forMs: 10_000 });
  try {
    const result = await driveDeploy(world.ctx, await world.startCanary());
    assert.equal(result.status, 'success', result.reason);
    assert.deepEqual(result.canary, { percentage: 5, state: 'paused' });
    assert.ok(world.atRelease, 'the journal was held until the model clock passed 10 s');
    assert.ok(
      world.lines.some((l) =>
        /database is locked .*; waiting up to \d+ s for it to record ANALYSIS_RESULT/.test(l),
      ),
      world.lines.join('\n'),
    );
    assert.ok(world.lines.some((l) => /the journal is available again after \d+ s/.test(l)));
    assert.equal(result.actions_log.filter((a) => a.action === 'ANALYSIS').length, 1);
    assert.equal((await world.ctx.journal.verify()).ok, true);
  } finally {
    await world.dispose();
  }
});

test('promote of a paused canary while the journal is held: nothing changes, one clear error', async () => {
  const world = await createOutageWorld({ forMs: Infinity });
  try {
    const rec = await world.startCanary();
    const paused = await driveDeploy(world.ctx, rec);
    assert.equal(paused.status, 'success');
    const before = serving(await world.target.snapshot());
    world.hold();
    await assert.rejects(promoteCanary(world.ctx, rec.deployId), {
      code: 'E_JOURNAL_UNAVAILABLE',
      message:
        /^could not record PROMOTE_REQUESTED \(deploy \S+\): journal .* is unavailable: database is locked \(SQLITE_BUSY\), for 30 s$/,
    });
    assert.deepEqual(serving(await world.target.snapshot()), before);
    assert.deepEqual(await world.flags.get('ff-a', 'production'), { state: 'on', percentage: 5 });
  } finally {
    await world.dispose();
  }
});
