import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pickAllowedEnv } from '../../../core/allowed-env.js';
import { CutoverError } from '../../../core/errors.js';
import { redactText } from '../../../core/redact.js';
import {
  findPodman,
  PODMAN_ENV_NAMES,
  PODMAN_GLOBAL_ARGS,
  PODMAN_ULIMIT_ARGS,
} from '../../../lib/podman/podman-command.js';
import type { BuildRequest } from '../../../ports/builder.js';
import { HEALTH_PATH_LABEL, type LocalImage } from '../../../ports/release.js';
import { compareBytes } from '../../registry/layout/index-json.js';
import { bindTag } from '../../registry/layout/tag-binding.js';
import { createdAt } from '../base-image.js';
import { imageAnnotations } from '../base-config.js';
import type { BuildRegistries } from '../base-source.js';
import { describeEnd, describeOutput, runCaptured } from '../run-captured.js';
import { assertPathInside, resolveSourceDir } from '../source-dir.js';
import { baseLayersInRegistry } from './base-layers.js';
import { importExportedImage, readExportedImage } from './import-layout.js';
import { podmanRegistryArgs } from './registry-access.js';

export interface PodmanBuildOptions {
  secrets?: readonly string[];
  env?: NodeJS.ProcessEnv;
  registries?: BuildRegistries;
}

/**
 * `build: { containerfile }`: `podman build` of the changeset's `source` directory, reproducible
 * (`--timestamp`, no identity label, no layer cache whose state would change the result), saved
 * as an OCI layout and moved into the build layout, the base's layers swapped back for the
 * base's own blobs when it is in the environment's registry (`base-layers.ts`); the push is
 * cutover's own, like any image's. The tagged image is removed from podman's storage afterwards; the base it pulled stays there.
 */
export async function buildWithPodman(
  request: BuildRequest,
  options: PodmanBuildOptions,
): Promise<LocalImage> {
  const { changeset, baseDir, workDir, tag } = request;
  const env = options.env ?? process.env;
  const podman = findPodman(env);
  const context = await resolveSourceDir(baseDir, changeset.source!, 'source');
  const file = assertPathInside(context, changeset.build!.containerfile!, 'build.containerfile');
  if (
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new CutoverError(
      'E_BUILD_FAILED',
      `build.containerfile ${changeset.build!.containerfile} is not a file in ${context}`,
      {
        path: file,
      },
    );
  const layoutDir = resolve(workDir);
  const scratch = await mkdtemp(resolve(dirname(layoutDir), `.podman-${changeset.service}-`));
  const image = `localhost/cutover-build/${changeset.service}:${randomBytes(8).toString('hex')}`;
  const own =
    request.environment !== undefined ? options.registries?.environment(request.environment) : undefined;
  const run = (args: string[], onLine?: (line: string) => void) =>
    runCaptured(podman, [...PODMAN_GLOBAL_ARGS, ...args], {
      cwd: context,
      env: pickAllowedEnv(env, PODMAN_ENV_NAMES),
      onLine,
    });
  try {
    const created = createdAt(env);
    const annotations = imageAnnotations(changeset, { created });
    const built = await run(
      [
        'build',
        ...PODMAN_ULIMIT_ARGS,
        '--timestamp',
        String(Date.parse(created) / 1000),
        '--identity-label=false',
        '--layers=false',
        ...(await podmanRegistryArgs(own?.config, env, scratch)),
        ...Object.entries({ ...annotations, [HEALTH_PATH_LABEL]: changeset.run.health_path }).flatMap(
          ([k, v]) => ['--label', `${k}=${v}`],
        ),
        ...Object.entries(annotations).flatMap(([k, v]) => ['--annotation', `${k}=${v}`]),
        // run.env goes into the image as for the other forms; CMD is the Containerfile's own.
        ...Object.entries(changeset.run.env)
          .sort(([a], [b]) => compareBytes(a, b))
          .flatMap(([k, v]) => ['--env', `${k}=${v}`]),
        '--file',
        file,
        '--tag',
        image,
        context,
      ],
      (line) => request.log?.(redactText(line, options.secrets ?? [])),
    );
    if (built.code !== 0)
      throw failure(
        `podman build of ${changeset.build!.containerfile} ${describeEnd(built)} in ${context}${describeOutput(built)}`,
        built.lines,
        options,
      );
    const exportDir = resolve(scratch, 'oci');
    const saved = await run(['save', '--quiet', '--format', 'oci-dir', '--output', exportDir, image]);
    if (saved.code !== 0)
      throw failure(
        `podman save of the built image ${describeEnd(saved)}${describeOutput(saved)}`,
        saved.lines,
        options,
      );
    const exported = await readExportedImage(exportDir);
    const base = await baseLayersInRegistry(exported, layoutDir, own);
    const local = await importExportedImage(exported, layoutDir, base);
    await bindTag(layoutDir, local.manifest, tag, { onConflict: 'replace', code: 'E_BUILD_FAILED' });
    return local;
  } finally {
    await run(['rmi', '--force', image]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

function failure(message: string, lines: string[], options: PodmanBuildOptions): CutoverError {
  const secrets = options.secrets ?? [];
  return new CutoverError('E_BUILD_FAILED', redactText(message, secrets), {
    output: lines.map((line) => redactText(line, secrets)),
  });
}
