import type { ReleaseRef } from '../core/model/release.js';
import type { LocalImage, Platform } from './release.js';

export interface PushResult {
  /** Manifest digest the registry serves for the tag, recomputed from what it stored. */
  digest: string;
  /** True when the blobs were already there and only the tag was (re)confirmed. */
  alreadyPresent: boolean;
}

export interface ReadImageOptions {
  platform: Platform;
  /** Also store the layers in `layoutDir`: for an image that will be pushed to another registry. */
  copyLayers: boolean;
}

/**
 * Stores images under immutable tags.
 *
 * Contract:
 * - `push` is idempotent: pushing the same image to the same tag again succeeds and changes nothing.
 * - A tag already bound to another digest is refused with `E_TAG_IMMUTABLE`; nothing is written.
 * - Integrity: after storing, the registry's copy of the manifest is re-hashed and compared with
 *   `image.manifest.digest`; a difference is `E_DIGEST_MISMATCH` and the tag is not published.
 * - Any other failure is `E_PUSH_FAILED` with a message naming the registry and the cause.
 * - A blob missing from `image.layoutDir` but listed in `image.remote` is taken registry-side from
 *   `remote.repository` (a cross-repository mount, or a copy), never uploaded from the client,
 *   when `remote.location` is this registry's; from any other registry it is `E_PUSH_FAILED`.
 * - Credentials never appear in messages, details or `describe()`.
 */
export interface Registry {
  readonly name: string;
  /** Human-readable location without secrets, e.g. `oci-layout:/x/.cutover/registry/api-orders`. */
  describe(repository: string): string;
  push(image: LocalImage, repository: string, tag: string): Promise<PushResult>;
  /** Digest bound to `repository:tag`, or undefined when the tag does not exist. */
  resolve(repository: string, tag: string): Promise<string | undefined>;
  /**
   * Reads the image `repository:reference` (a tag or a digest) without pulling it: its manifest and
   * config are stored, each verified, in the layout `layoutDir`; its layers stay in the registry
   * (`remote`), or with `copyLayers` are copied there too. An image index is resolved to the
   * manifest for `platform`. Undefined when there is no such repository or reference; any other
   * failure is `E_BUILD_FAILED` (a base image is read to build on it).
   */
  readImage(
    repository: string,
    reference: string,
    layoutDir: string,
    options: ReadImageOptions,
  ): Promise<LocalImage | undefined>;
  /**
   * Makes the release available as a local OCI layout (downloading it when the registry is
   * remote), verifying every blob's digest, and returns that layout's directory.
   */
  pull(release: ReleaseRef, cacheDir: string): Promise<string>;
  dispose?(): Promise<void>;
}
