import type { ReleaseRef } from '../core/model/release.js';
import type { LocalImage } from './release.js';

export interface PushResult {
  /** Manifest digest the registry serves for the tag, recomputed from what it stored. */
  digest: string;
  /** True when the blobs were already there and only the tag was (re)confirmed. */
  alreadyPresent: boolean;
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
   * Makes the release available as a local OCI layout (downloading it when the registry is
   * remote), verifying every blob's digest, and returns that layout's directory.
   */
  pull(release: ReleaseRef, cacheDir: string): Promise<string>;
  dispose?(): Promise<void>;
}
