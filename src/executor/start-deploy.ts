import { formatReleaseTag } from '../core/tag.js';
import type { Changeset } from '../core/schema/changeset.js';
import type { Strategy } from '../core/schema/strategy.js';
import type { ExecutorContext } from './context.js';
import { DeployRecorder } from './recorder.js';

export interface DeployInput {
  changeset: Changeset;
  /** directory of the changeset file */
  baseDir: string;
  strategy: Strategy;
  environment: string;
  /** ship the artifact an earlier deploy built and pushed, under its tag (manual approval) */
  reuse?: { deployId: string; tag: string; digest: string; layoutDir: string };
}

/**
 * Validates everything that can be known before acting (environment, tag) and journals the
 * request. Invalid input throws here, before the deploy exists, so it leaves no trace to clean up.
 */
export async function startDeploy(
  ctx: ExecutorContext,
  input: DeployInput,
  deployId: string,
): Promise<DeployRecorder> {
  const env = ctx.environment(input.environment);
  const applyEnvironment = input.strategy.mode === 'manual' ? env.manual.apply_to : env.name;
  ctx.environment(applyEnvironment);
  const tag =
    input.reuse?.tag ??
    formatReleaseTag(
      input.changeset.version,
      input.changeset.commit,
      ctx.clock.now(),
      ctx.config.tag.timestamp,
    );
  const repository = env.registry.repository ?? input.changeset.service;
  const registry = ctx.registry(env.name);

  const rec = await DeployRecorder.open(ctx.journal, ctx.clock, deployId);
  await rec.record({
    type: 'DEPLOY_REQUESTED',
    environment: env.name,
    apply_environment: applyEnvironment,
    strategy: input.strategy,
    changeset: input.changeset,
    base_dir: input.baseDir,
    repository,
    tag,
    registry: registry.describe(repository),
    requested_by: ctx.actor,
    ...(input.reuse
      ? {
          artifact_from: {
            deploy_id: input.reuse.deployId,
            digest: input.reuse.digest,
            layout_dir: input.reuse.layoutDir,
          },
        }
      : {}),
  });
  return rec;
}
