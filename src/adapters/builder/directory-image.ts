import { resolve } from 'node:path';
import { CutoverError, isCutoverError } from '../../core/errors.js';
import type { Changeset } from '../../core/schema/changeset.js';
import type { BuildRequest, Builder } from '../../ports/builder.js';
import { OCI_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, type LocalImage } from '../../ports/release.js';
import { ensureLayout, writeBlobBytes } from '../registry/layout/blob-store.js';
import { bindTag } from '../registry/layout/tag-binding.js';
import { runBuildCommand } from './build-command.js';
import { encodeImageConfig, encodeImageManifest } from './image-documents.js';
import { assertPathInside, resolveSourceDir } from './source-dir.js';
import { writeLayer } from './write-layer.js';

export interface DirectoryBuilderOptions {
  /** secret values to remove from a failing build command's output (`configuredSecrets`) */
  secrets?: readonly string[];
  /** where `build.command` picks its allow-listed variables from; the process's own by default */
  env?: NodeJS.ProcessEnv;
}

/**
 * The embedded Builder: packages a directory (the changeset's `source`, or the `output` of its
 * `build.command`) as a one-layer OCI image in the layout at `workDir`, tagged `tag`.
 *
 * @example
 * const builder = createDirectoryBuilder({ secrets: configuredSecrets(config, process.env) });
 * const image = await builder.build({ changeset, baseDir, workDir: '.cutover/builds', tag });
 * image.manifest.digest; // the same for the same files and run spec, on any day
 */
export function createDirectoryBuilder(options: DirectoryBuilderOptions = {}): Builder {
  return {
    name: 'directory',
    async build(request: BuildRequest): Promise<LocalImage> {
      return buildImage(request, options).catch((err: unknown) => {
        throw toBuildError(request, err);
      });
    },
  };
}

/** Anything a build throws that is not already a CutoverError is E_BUILD_FAILED naming the image. */
export function toBuildError(request: BuildRequest, err: unknown): CutoverError {
  if (isCutoverError(err)) return err;
  return new CutoverError(
    'E_BUILD_FAILED',
    `building ${request.changeset.service} ${request.tag} failed: ${(err as Error).message}`,
    { tag: request.tag },
    err,
  );
}

async function buildImage(
  { changeset, baseDir, workDir, tag }: BuildRequest,
  options: DirectoryBuilderOptions,
): Promise<LocalImage> {
  const root = await prepareSource(changeset, baseDir, options);
  const layoutDir = resolve(workDir);
  await ensureLayout(layoutDir);
  const { layer, diffId } = await writeLayer(root, layoutDir);
  const config = await writeBlobBytes(
    layoutDir,
    encodeImageConfig(changeset, [diffId]),
    OCI_CONFIG_MEDIA_TYPE,
  );
  const manifest = await writeBlobBytes(
    layoutDir,
    encodeImageManifest(config, [layer]),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  // The build layout is scratch space: a rebuild of the same tag from changed files replaces the
  // binding here; immutability is the registry's job, at push time.
  await bindTag(layoutDir, manifest, tag, { onConflict: 'replace', code: 'E_BUILD_FAILED' });
  return { layoutDir, manifest, config, layers: [layer] };
}

/** Runs the build command if there is one and returns the real directory to package. */
export async function prepareSource(
  changeset: Changeset,
  baseDir: string,
  options: DirectoryBuilderOptions,
): Promise<string> {
  const build = changeset.build;
  if (build?.command !== undefined && build.output !== undefined) {
    // An output path that escapes is refused before the command gets a chance to run.
    assertPathInside(baseDir, build.output, 'build.output');
    await runBuildCommand(build.command, resolve(baseDir), { ...options, passEnv: build.pass_env });
    return resolveSourceDir(baseDir, build.output, 'build.output');
  }
  if (changeset.source !== undefined) return resolveSourceDir(baseDir, changeset.source, 'source');
  throw new CutoverError('E_BUILD_FAILED', `changeset ${changeset.id} has neither source nor build.command`, {
    changeset: changeset.id,
  });
}
