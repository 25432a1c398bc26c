import { join } from 'node:path';
import { planApply } from '../../core/routing-plan.js';
import type { ReleaseRef } from '../../core/model/release.js';
import type { TargetSnapshot } from '../../core/model/target.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { journaledHostSteps } from '../host-steps.js';
import { runStep } from './run-step.js';

/**
 * Start the new version beside the old, wait for health, shift traffic, drain what is retired.
 * The previous snapshot goes into APPLY_START first: it is what a rollback restores.
 */
export async function runApply(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  release: ReleaseRef,
): Promise<void> {
  const req = rec.state.request;
  const env = ctx.environment(req.apply_environment);
  const target = ctx.target(env.name);
  const previous = rec.state.previousTarget ?? (await target.snapshot());
  await runStep(
    rec,
    { type: 'APPLY_START', environment: env.name, release, previous },
    (f) => ({ type: 'APPLY_FAILED', ...f }),
    async () => {
      const layoutDir = await ctx.registry(req.environment).pull(release, join(ctx.stateDir, 'cache'));
      const { resources } = req.changeset.run;
      if (target.rollout) {
        ctx.progress(`  rolling ${release.tag} out to ${env.name}'s hosts`);
        return target.rollout(
          {
            release,
            layoutDir,
            options: {
              healthTimeoutMs: env.target.health_timeout,
              drainTimeoutMs: env.target.drain_timeout,
              ...(resources ? { resources } : {}),
            },
            plan: (serving) => planApply(req.strategy, serving, release.digest),
            groupId: req.changeset.feature_flag,
          },
          journaledHostSteps(ctx, rec, env.name),
        );
      }
      ctx.progress(`  starting ${release.tag} in ${env.name}, waiting for ${req.changeset.run.health_path}`);
      await target.start(release, layoutDir, {
        healthTimeoutMs: env.target.health_timeout,
        ...(resources ? { resources } : {}),
      });
      const plan = planApply(req.strategy, previous, release.digest);
      await target.route(plan.weights, { groupId: req.changeset.feature_flag });
      ctx.progress(`  routing ${describeWeights(plan.weights, previous, release)}`);
      for (const digest of plan.retire)
        await target.stop(digest, { drainTimeoutMs: env.target.drain_timeout });
      return target.snapshot();
    },
    (current) => ({ type: 'APPLY_SUCCESS', environment: env.name, current }),
  );
}

function describeWeights(
  weights: Record<string, number>,
  previous: TargetSnapshot,
  release: ReleaseRef,
): string {
  const name = (digest: string) =>
    digest === release.digest
      ? release.tag
      : (previous.versions.find((v) => v.release.digest === digest)?.release.tag ?? digest);
  return Object.entries(weights)
    .map(([d, w]) => `${w} % → ${name(d)}`)
    .join(', ');
}
