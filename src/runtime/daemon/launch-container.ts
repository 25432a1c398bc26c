import { CutoverError } from '../../core/errors.js';
import type { StartVersionRequest } from '../client/api-types.js';
import { containerLabels, containerName, LABELS, runtimeIdOf } from '../container/container-names.js';
import {
  inspectContainer,
  removeContainer,
  runVersionContainer,
  watchContainer,
} from '../container/container-process.js';
import { pullContainerImage } from '../../lib/podman/pull-image.js';
import { markContainersUsed } from '../container/sweep-containers.js';
import type { ImageRunSpec } from '../image/oci-image.js';
import { findFreePort } from './loopback-probe.js';
import type { LaunchContext, Launched } from './launch-context.js';

/**
 * The podman runner: runs the version's image (pulled by the CLI) on a free loopback port of the
 * host network; adopts its container instead when one is already running (a restarted daemon
 * keeps serving what it served); pulls the image itself only when it is gone.
 */
export async function launchContainer(
  request: StartVersionRequest & { container: NonNullable<StartVersionRequest['container']> },
  spec: ImageRunSpec,
  ctx: LaunchContext,
  logFile: string,
): Promise<Launched> {
  const { release, container } = request;
  const runtimeId = runtimeIdOf(ctx.paths.dir);
  const name = containerName(runtimeId, ctx.environment, release);
  const port = await findFreePort();
  await markContainersUsed(ctx.paths.dir);
  // The image's own Env wins over what the runtime offers, as it does for a process.
  const offered = Object.entries(ctx.runtimeEnv).filter(([k]) => !(k in spec.env));
  const run = (image: string) =>
    runVersionContainer({
      name,
      image,
      labels: containerLabels(runtimeId, ctx.environment, release, port),
      env: { ...Object.fromEntries(offered), PORT: String(port), HOST: '127.0.0.1' },
      logFile,
      ...(container.resources ? { resources: container.resources } : {}),
    });
  // Run first: the image is usually there and no container has that name, so that is one podman
  // call. Only a refusal costs more. By digest from a registry, or by id (its config's digest).
  let image = container.image.startsWith('oci:') ? spec.configDigest : container.image;
  let outcome = await run(image);
  if (outcome === 'name-taken') {
    const found = await inspectContainer(name);
    const adoptedPort = Number(found?.labels[LABELS.port]);
    if (found?.running && found.labels[LABELS.digest] === release.digest && adoptedPort > 0)
      return { process: await watchContainer(name), port: adoptedPort, adopted: true };
    await removeContainer(name);
    outcome = await run(image);
  }
  if (outcome === 'no-image') {
    if (container.cli_pulls)
      throw new CutoverError('E_PULL_FAILED', `${container.image} is not pulled yet`, { not_pulled: true });
    // From a layout, or gone since a deploy pulled it (a restore after a prune): pulled here,
    // anonymously, the daemon never holding the registry's credentials.
    image = await pullContainerImage(container, release, undefined, ctx.signal);
    outcome = await run(image);
  }
  if (typeof outcome === 'string')
    throw new CutoverError('E_APPLY_FAILED', `podman run ${name} refused: ${outcome}`, { container: name });
  return { process: outcome, port, adopted: false };
}
