import type { BuildRequest, Builder } from '../../ports/builder.js';
import type { LocalImage } from '../../ports/release.js';
import { buildOnBase } from './base-image.js';
import type { BuildRegistries } from './base-source.js';
import { createDirectoryBuilder, toBuildError, type DirectoryBuilderOptions } from './directory-image.js';

export interface ChangesetBuilderOptions extends DirectoryBuilderOptions {
  /** where `build.base` images are read (the environment's registry, or another host's) */
  registries?: BuildRegistries;
}

/**
 * The Builder the CLI uses: one per form of the changeset's `build` (README "Runnable images").
 * `base`: the app's layer appended to a base image; otherwise the app's files alone, as a layer
 * the local runtime runs with the host's tools.
 *
 * @example
 * const builder = createChangesetBuilder({ secrets, registries });
 * const image = await builder.build({ changeset, baseDir, workDir, tag, environment: 'production' });
 */
export function createChangesetBuilder(options: ChangesetBuilderOptions = {}): Builder {
  const directory = createDirectoryBuilder(options);
  return {
    name: 'changeset',
    build(request: BuildRequest): Promise<LocalImage> {
      const build = request.changeset.build;
      if (build?.base === undefined) return directory.build(request);
      return buildOnBase(request, options).catch((err: unknown) => {
        throw toBuildError(request, err);
      });
    },
  };
}
