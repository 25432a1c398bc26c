import type { Changeset } from '../core/schema/changeset.js';
import type { LocalImage } from './release.js';

export interface BuildRequest {
  changeset: Changeset;
  /** Directory the changeset file lives in; `source` and `build.output` are relative to it. */
  baseDir: string;
  /** Scratch space owned by cutover (under the state dir); the image layout is written here. */
  workDir: string;
  /** Tag recorded in the layout's index.json (`org.opencontainers.image.ref.name`). */
  tag: string;
  /** The environment whose registry the image is pushed to: where `build.base` is looked up. */
  environment?: string;
  /** Called with each line of a build tool's output (`podman build`), as it comes. */
  log?: (line: string) => void;
}

/**
 * Turns a changeset into an OCI image.
 *
 * Contract:
 * - Reproducible: the same files (names, modes, bytes) and run spec give the same manifest digest,
 *   whatever the file mtimes, owners or the time of the build.
 * - Refuses, with `E_SOURCE_ESCAPE`, a path or symlink that leads outside the source directory;
 *   with `E_BUILD_FAILED` anything else that keeps the image from being built (missing source,
 *   failing build command, …). Never leaves a half-written image referenced by `index.json`.
 * - Idempotent: building the same input twice returns the same image.
 * - An image built on a base may leave the base's layers in the registry (`LocalImage.remote`)
 *   when it is the environment's own: the push then takes them registry-side.
 */
export interface Builder {
  readonly name: string;
  build(request: BuildRequest): Promise<LocalImage>;
}
