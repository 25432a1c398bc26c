import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driveDeploy } from '../../../src/executor/drive-deploy.js';
import { promoteCanary } from '../../../src/executor/follow-ups.js';
import { DeployRecorder } from '../../../src/executor/recorder.js';
import { findInterrupted, recoverDeploy } from '../../../src/executor/recover.js';
import { createOutageWorld, serving, STABLE } from '../../support/journal-outage-world.js';

const OBSERVING = /observing the canary/;
const OFF = { state: 'off', percentage: 0 };

test('a journal busy for 10 s while the canary is observed: the deploy waits for it and carries on', async () => {
  const world = await createOutageWorld({ when: OBSERVING, forMs: 10_000 });
  try {
    const result = await driveDeploy(world.ctx, await world.startCanary());
    // A canary left at its step is not finished: the seed's status says pending (issue 18).
    assert.deepEqual([result.status, result.state], ['pending', 'paused'], result.reason);
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

test('held past the patience: rolled back without the journal, then recorded once it is back', async () => {
  const world = await createOutageWorld({ when: OBSERVING, forMs: 45_000 });
  try {
    const rec = await world.startCanary();
    const result = await driveDeploy(world.ctx, rec);
    // Undone while the journal was still held: the canary did not wait for the records.
    assert.deepEqual(serving(world.atRelease!.target), serving(STABLE));
    assert.deepEqual(world.atRelease!.flag, OFF);
    assert.equal(result.status, 'failed');
    assert.equal(result.failed_step, 'ANALYSIS');
    assert.match(
      result.reason!,
      /^the journal was unavailable from \S+ \(journal .*journal\.db is unavailable: database is locked \(SQLITE_BUSY\)\); production was rolled back \(flag ff-a back to off 0 % in production; production back to 1\.0\.0-0000000-20261101 100 %\) at \S+ without it, recorded once it was back$/,
    );
    assert.deepEqual(result.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
    const types = rec.rows.map((r) => r.event.type);
    assert.deepEqual(types.slice(types.indexOf('OBSERVE_START')), [
      'OBSERVE_START',
      'EXECUTOR_ERROR',
      'ROLLBACK_START',
      'ROLLBACK_STEP',
      'ROLLBACK_STEP',
      'ROLLBACK_SUCCESS',
      'DEPLOY_FAILED',
    ]);
    assert.deepEqual(serving(await world.target.snapshot()), serving(STABLE));
    assert.deepEqual(await world.flags.get('ff-a', 'production'), OFF);
    assert.equal((await world.ctx.journal.verify()).ok, true);
  } finally {
    await world.dispose();
  }
});

test('the journal never comes back: one clear error, then recover records the rollback', async () => {
  const world = await createOutageWorld({ when: OBSERVING, forMs: Infinity });
  try {
    const rec = await world.startCanary();
    await assert.rejects(driveDeploy(world.ctx, rec), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_JOURNAL_UNAVAILABLE');
      assert.match(
        err.message,
        /^deploy \S+: production was rolled back \(flag ff-a back to off 0 % in production; production back to 1\.0\.0-0000000-20261101 100 %\), but the journal does not record it yet \(journal .*journal\.db is unavailable: database is locked \(SQLITE_BUSY\)\); cutover recover will record it$/,
      );
      return true;
    });
    assert.deepEqual(serving(await world.target.snapshot()), serving(STABLE));
    assert.deepEqual(await world.flags.get('ff-a', 'production'), OFF);

    world.release();
    const again = await DeployRecorder.open(world.ctx, rec.deployId);
    assert.equal(again.rows.at(-1)!.event.type, 'OBSERVE_START', 'nothing of the rollback was journaled');
    assert.equal(findInterrupted([again], 'production').length, 1);
    const recovered = await recoverDeploy(world.ctx, again, 'rollback');
    assert.equal(recovered.status, 'failed');
    assert.deepEqual(recovered.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
    assert.equal(again.rows.at(-1)!.event.type, 'DEPLOY_FAILED');
    assert.deepEqual(serving(await world.target.snapshot()), serving(STABLE));
    assert.deepEqual(await world.flags.get('ff-a', 'production'), OFF);
    assert.equal((await world.ctx.journal.verify()).ok, true);
  } finally {
    await world.dispose();
  }
});

test('the wait for the journal ends at the deploy deadline, not after the full patience', async () => {
  const world = await createOutageWorld({ when: OBSERVING, forMs: 40_000 });
  try {
    const deadlines = { deploy: { after: '12s' } };
    const rec = await world.startCanary({ deadlines });
    const result = await driveDeploy(world.ctx, rec);
    assert.equal(result.status, 'failed');
    const rolledBackAt = Date.parse(/ at (\S+) without it/.exec(result.reason!)![1]!);
    const requestedAt = Date.parse(rec.state.requestedAt!);
    assert.ok(
      rolledBackAt - requestedAt <= 13_000,
      `rolled back ${rolledBackAt - requestedAt} ms after the request`,
    );
    assert.deepEqual(serving(world.atRelease!.target), serving(STABLE));
  } finally {
    await world.dispose();
  }
});

test('promote of a paused canary while the journal is held: nothing changes, one clear error', async () => {
  const world = await createOutageWorld({ forMs: Infinity });
  try {
    const rec = await world.startCanary();
    const paused = await driveDeploy(world.ctx, rec);
    assert.deepEqual([paused.status, paused.state], ['pending', 'paused']);
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

test('the journal lost mid-rollback: a compensation that worked is not recorded as failed', async () => {
  // The canary answers 5xx, so the analysis rolls it back; the journal goes once its flag is restored.
  const world = await createOutageWorld({ forMs: 40_000 }, new Map([['a', 'metrics' as const]]));
  try {
    const flags = world.ctx.flags;
    world.ctx.flags = (env) => ({
      ...flags(env),
      async set(flag, environment, state) {
        await flags(env).set(flag, environment, state);
        if (state.state === 'off') world.hold();
      },
    });
    const result = await driveDeploy(world.ctx, await world.startCanary());
    assert.equal(result.failed_step, 'ANALYSIS');
    assert.match(result.reason!, /errors: canary 5xx 50 % .*→ fail/);
    assert.deepEqual(result.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
    assert.deepEqual(serving(await world.target.snapshot()), serving(STABLE));
    assert.deepEqual(await world.flags.get('ff-a', 'production'), OFF);
    assert.equal((await world.ctx.journal.verify()).ok, true);
  } finally {
    await world.dispose();
  }
});
