import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { changesetSchema, type Changeset } from '../../src/core/schema/changeset.js';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';
import { strategySchema } from '../../src/core/schema/strategy.js';
import { driveDeploy } from '../../src/executor/drive-deploy.js';
import { startDeploy } from '../../src/executor/start-deploy.js';
import type { FlagEnvironmentState } from '../../src/core/model/flag.js';
import type { TargetSnapshot } from '../../src/core/model/target.js';
import { createModelWorld, type Fault } from '../support/model-world.js';

const ENV = 'production';
const STABLE: TargetSnapshot = {
  environment: ENV,
  versions: [
    {
      release: { repository: 'svc', tag: '1.0.0-0000000-20261101', digest: 'sha256:stable' },
      weight: 100,
      layoutDir: '/l',
    },
  ],
};

function changeset(id: string, flag: string, dodDone = true): Changeset {
  return changesetSchema.parse({
    id,
    service: 'svc',
    version: `2.${id}.0`,
    commit: 'abc1234',
    source: './src',
    dod: DEFAULT_DOD_STEPS.map((step, i) => ({ step, done: dodDone || i > 0 })),
    feature_flag: flag,
    rollback_plan: { kind: 'previous-version' },
  });
}

const scenario = fc
  .record({
    count: fc.integer({ min: 1, max: 6 }),
    mode: fc.constantFrom('fast-track' as const, 'canary' as const),
    startEmpty: fc.boolean(),
    // fast_track.watch: the only observation a single fast-track deploy gets
    watch: fc.boolean(),
    // which earlier batch's flag each batch reuses (null: its own flag)
    shares: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 6, maxLength: 6 }),
    initialFlags: fc.array(fc.record({ on: fc.boolean(), pct: fc.integer({ min: 0, max: 100 }) }), {
      minLength: 6,
      maxLength: 6,
    }),
    fault: fc.constantFrom<Fault | 'dod' | 'none'>(
      'metrics-down',
      'build',
      'push',
      'start',
      'route',
      'flag',
      'metrics',
      'dod',
      'none',
    ),
    faultAt: fc.nat(),
  })
  .map((s) => ({ ...s, faultAt: s.faultAt % s.count }));

test('property: a train that fails in batch N leaves traffic and every flag exactly as before batch 1', async () => {
  let failedRuns = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const ids = Array.from({ length: s.count }, (_, i) => String(i + 1));
      const flagOf = ids.map((id, i) => {
        const share = s.shares[i];
        return share === null || share === undefined || i === 0 ? `ff-${id}` : `ff-${ids[share % i]}`;
      });
      // A flag fault on a shared flag would hit the batch that owns it, not this one.
      let fault = s.fault;
      if (fault === 'flag' && flagOf[s.faultAt] !== `ff-${ids[s.faultAt]}`) fault = 'build';
      // Every batch of a train is observed, the last one too; a single fast-track deploy only
      // with fast_track.watch. Unobserved, bad metrics go unseen by design.
      const unobserved = s.mode === 'fast-track' && s.count === 1 && !s.watch;
      if ((fault === 'metrics' || fault === 'metrics-down') && unobserved) fault = 'push';
      const faults = new Map<string, Fault>();
      if (fault !== 'none' && fault !== 'dod') faults.set(ids[s.faultAt]!, fault);
      const world = createModelWorld(faults, s.startEmpty ? { environment: ENV, versions: [] } : STABLE);
      try {
        const flags = [...new Set(flagOf)];
        const before = new Map<string, FlagEnvironmentState>();
        for (const [i, f] of flags.entries()) {
          await world.flags.create(f);
          const init = s.initialFlags[i]!;
          const state: FlagEnvironmentState = { state: init.on ? 'on' : 'off', percentage: init.pct };
          await world.flags.set(f, ENV, state);
          before.set(f, state);
        }
        const initialTarget = await world.target.snapshot();
        const [first, ...rest] = ids.map((id, i) => ({
          changeset: {
            ...changeset(id, flagOf[i]!, !(fault === 'dod' && i === s.faultAt)),
            source: world.source(id),
          },
          baseDir: world.dir,
        }));
        const strategy = strategySchema.parse({
          mode: s.mode,
          analysis: { min_requests: 1 },
          ...(s.watch ? { fast_track: { watch: '1s' } } : {}),
        });
        const rec = await startDeploy(
          world.ctx,
          { ...first!, more: rest, strategy, environment: ENV },
          `d-${Math.random()}`,
        );
        const result = await driveDeploy(world.ctx, rec);

        if (fault === 'none') {
          // A lone canary waits at its step for promote; a train's canaries are all promoted.
          const paused = s.mode === 'canary' && s.count === 1 && !s.startEmpty;
          assert.equal(result.state, paused ? 'paused' : 'success', result.reason);
          const last = (await world.target.snapshot()).versions.find((v) => v.release.tag === result.version);
          assert.ok(last && last.weight > 0, 'the last batch serves');
          return;
        }
        failedRuns++;
        assert.equal(result.status, 'failed');
        // Every changeset's DoD is checked before batch 1 changes anything.
        const failedBatch = fault === 'dod' ? 0 : s.faultAt;
        if (s.count > 1)
          assert.equal(result.batches?.[failedBatch]?.status, 'failed', JSON.stringify(result.batches));
        if (result.rollback) assert.equal(result.rollback.status, 'success');
        assert.deepEqual(normalize(await world.target.snapshot()), normalize(initialTarget));
        for (const [f, state] of before) assert.deepEqual(await world.flags.get(f, ENV), state, `flag ${f}`);
      } finally {
        await world.dispose();
      }
    }),
    { numRuns: 120 },
  );
  assert.ok(failedRuns > 50, `only ${failedRuns} runs injected a failure`);
});

function normalize(s: TargetSnapshot) {
  return s.versions
    .map((v) => ({ digest: v.release.digest, weight: v.weight }))
    .sort((a, b) => a.digest.localeCompare(b.digest));
}
