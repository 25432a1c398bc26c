import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { LocalImage } from '../../ports/release.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { readLocalImage } from '../local-image.js';
import { runStep } from './run-step.js';

export async function runBuild(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  const req = rec.state.request;
  const result = await runStep(
    rec,
    { type: 'BUILD_START', tag: req.tag },
    (f) => ({ type: 'BUILD_FAILED', ...f }),
    () =>
      req.artifact_from
        ? readLocalImage(req.artifact_from.layout_dir, req.artifact_from.digest)
        : ctx.builder.build({
            changeset: req.changeset,
            baseDir: req.base_dir,
            workDir: join(ctx.stateDir, 'builds'),
            tag: req.tag,
            environment: req.environment,
            log: (line) => ctx.progress(`  ${line}`),
          }),
    (image: LocalImage) => ({
      type: 'BUILD_SUCCESS',
      digest: image.manifest.digest,
      layout_dir: image.layoutDir,
      size: image.layers.reduce((n, l) => n + l.size, image.config.size + image.manifest.size),
    }),
  );
  if (!result.ok) return;
  const how = req.artifact_from ? `reused from deploy ${req.artifact_from.deploy_id} (no rebuild)` : 'built';
  ctx.progress(`  ${how} ${req.repository}:${req.tag} ${result.value.manifest.digest}`);
}

/** Pushes the built image and checks that the registry serves exactly the digest that was built. */
export async function runPush(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  built: { digest: string; layout_dir: string },
): Promise<void> {
  const req = rec.state.request;
  const registry = ctx.registry(req.environment);
  const result = await runStep(
    rec,
    {
      type: 'PUSH_START',
      registry: req.registry,
      repository: req.repository,
      tag: req.tag,
      digest: built.digest,
    },
    (f) => ({ type: 'PUSH_FAILED', ...f }),
    async () => {
      const image = await readLocalImage(built.layout_dir, built.digest);
      const pushed = await registry.push(image, req.repository, req.tag);
      if (pushed.digest !== built.digest) {
        throw new CutoverError(
          'E_DIGEST_MISMATCH',
          `registry ${req.registry} serves ${pushed.digest} for ${req.tag}, built ${built.digest}`,
        );
      }
      return pushed;
    },
    (pushed) => ({ type: 'PUSH_SUCCESS', digest: pushed.digest, already_present: pushed.alreadyPresent }),
  );
  if (result.ok) ctx.progress(`  pushed to ${req.registry}, digest verified`);
}
