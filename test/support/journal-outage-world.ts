import { join } from 'node:path';
import Database from 'better-sqlite3';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';
import { strategySchema } from '../../src/core/schema/strategy.js';
import type { ExecutorContext } from '../../src/executor/context.js';
import { startDeploy } from '../../src/executor/start-deploy.js';
import type { DeployRecorder } from '../../src/executor/recorder.js';
import type { TargetSnapshot } from '../../src/core/model/target.js';
import { createModelWorld, type Fault, type ModelWorld } from './model-world.js';

export const STABLE: TargetSnapshot = {
  environment: 'production',
  versions: [
    {
      release: { repository: 'svc', tag: '1.0.0-0000000-20261101', digest: 'sha256:stable' },
      weight: 100,
      layoutDir: '/l',
    },
  ],
};

export interface OutageWorld extends ModelWorld {
  /** the world's context, with the journal taken when a progress line matches `hold.when` */
  ctx: ExecutorContext;
  lines: string[];
  /** what served, and the canary flag, at the moment the journal was given back */
  atRelease?: { target: TargetSnapshot; flag: unknown };
  /** takes the journal now (idempotent) */
  hold(): void;
  /** gives the journal back now (idempotent) */
  release(): void;
  /** starts a canary deploy of 2.0.0 behind flag `ff-a` (steps [5], observe 2 s), `strategy` merged in */
  startCanary(strategy?: Record<string, unknown>): Promise<DeployRecorder>;
}

/**
 * The model world (real journal, flags, builder and registry; model target; model clock) with a
 * second SQLite connection that holds `BEGIN EXCLUSIVE` on the journal — the real lock another
 * process would take — from the first progress line matching `hold.when` (or `hold()`) until
 * `hold.forMs` of model time have passed (Infinity: until `release()`). `faults` as in the model
 * world (the changeset's id is `a`).
 */
export async function createOutageWorld(
  hold: { when?: RegExp; forMs: number },
  faults = new Map<string, Fault>(),
): Promise<OutageWorld> {
  const world = createModelWorld(faults, STABLE);
  await world.flags.create('ff-a');
  const holder = new Database(join(world.dir, 'journal.db'));
  const now = () => world.ctx.clock.now().getTime();
  let lockedAt: number | undefined;
  let released = false;
  const out: OutageWorld = {
    ...world,
    lines: [],
    hold() {
      if (lockedAt !== undefined) return;
      holder.exec('BEGIN EXCLUSIVE');
      lockedAt = now();
    },
    release() {
      if (lockedAt === undefined || released) return;
      holder.exec('COMMIT');
      released = true;
    },
    ctx: {
      ...world.ctx,
      progress(line) {
        out.lines.push(line);
        if (hold.when?.test(line)) out.hold();
      },
      async sleep(ms) {
        await world.ctx.sleep(ms);
        if (lockedAt === undefined || released || now() - lockedAt < hold.forMs) return;
        out.atRelease = {
          target: await world.target.snapshot(),
          flag: await world.flags.get('ff-a', 'production'),
        };
        out.release();
      },
    },
    startCanary(strategy = {}) {
      const changeset = changesetSchema.parse({
        id: 'a',
        service: 'svc',
        version: '2.0.0',
        commit: 'abc1234',
        source: world.source('a'),
        dod: DEFAULT_DOD_STEPS.map((step) => ({ step, done: true })),
        feature_flag: 'ff-a',
        rollback_plan: { kind: 'previous-version' },
      });
      const parsed = strategySchema.parse({
        mode: 'canary',
        canary: { steps: [5], observe: '2s' },
        analysis: { min_requests: 1 },
        ...strategy,
      });
      const input = { changeset, baseDir: world.dir, strategy: parsed, environment: 'production' };
      return startDeploy(out.ctx, input, `d-${Math.random()}`);
    },
    async dispose() {
      out.release();
      holder.close();
      await world.dispose();
    },
  };
  return out;
}

/** Digest → weight, what the deploy must restore. */
export function serving(s: TargetSnapshot): Record<string, number> {
  return Object.fromEntries(s.versions.filter((v) => v.weight > 0).map((v) => [v.release.digest, v.weight]));
}
