import type { BuildRequest, Builder } from '../../ports/builder.js';
import type { LocalImage } from '../../ports/release.js';
import { buildOnBase } from './base-image.js';
import { buildWithPodman } from './containerfile/podman-build.js';
import type { BuildRegistries } from './base-source.js';
import { createDirectoryBuilder, toBuildError, type DirectoryBuilderOptions } from './directory-image.js';

export interface ChangesetBuilderOptions extends DirectoryBuilderOptions {
  /** where `build.base` images are read (the environment's registry, or another host's) */
  registries?: BuildRegistries;
}

/**
 * The Builder the CLI uses: one per form of the changeset's `build` (README "Runnable images").
 * `base`: the app's layer appended to a base image; `containerfile`: `podman build` of `source`;
 * otherwise the app's files alone, as a layer the local runtime runs with the host's tools.
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
      if (build?.base === undefined && build?.containerfile === undefined) return directory.build(request);
      const building =
        build.containerfile !== undefined ? buildWithPodman(request, options) : buildOnBase(request, options);
      return building.catch((err: unknown) => {
        throw toBuildError(request, err);
      });
    },
  };
}
