import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { StartVersionRequest } from '../client/api-types.js';
import type { ImageRunSpec } from '../image/oci-image.js';
import { unpackImage } from '../image/unpack-image.js';
import { findFreePort } from './loopback-probe.js';
import type { LaunchContext, Launched } from './launch-context.js';
import { spawnVersionProcess } from './version-process.js';

/**
 * The process runner, cutover's zero-setup default: unpacks the image and starts its command with
 * the host's tools on a free loopback port, in its own process group.
 */
export async function launchProcess(
  request: StartVersionRequest,
  spec: ImageRunSpec,
  ctx: LaunchContext,
  logFile: string,
): Promise<Launched> {
  const { release, layoutDir } = request;
  const rootfs = await unpackImage(layoutDir, release.digest, spec.layers, ctx.paths.imagesDir);
  const cwd = join(rootfs, spec.workingDir);
  if (cwd !== rootfs && !cwd.startsWith(`${rootfs}/`)) {
    throw new CutoverError(
      'E_APPLY_FAILED',
      `image WorkingDir ${spec.workingDir} leads outside its rootfs`,
      {},
    );
  }
  const port = await findFreePort();
  const process = await spawnVersionProcess({
    argv: spec.argv,
    cwd,
    env: { ...inheritedEnv(), ...ctx.runtimeEnv, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    logFile,
  });
  return { process, port, adopted: false };
}

/** Only what a program needs to find its tools: the image, not the daemon, says the rest. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return env;
}
