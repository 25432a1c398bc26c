import { join } from 'node:path';
import { CutoverError, type ErrorCode } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { withFileLock, type LockOptions } from './file-lock.js';
import { INDEX_FILE, findTag, readIndex, withTag, writeIndex } from './index-json.js';

export interface BindTagOptions {
  /** `refuse`: a registry, where tags are immutable; `replace`: a build scratch layout. */
  onConflict: 'refuse' | 'replace';
  /** Code for I/O failures and an unreadable index.json. */
  code: ErrorCode;
  lock?: LockOptions;
}

export interface BindTagResult {
  /** Digest the tag named before, if any. */
  previous: string | undefined;
  /** False when the tag already named this manifest and index.json was left untouched. */
  changed: boolean;
}

/**
 * Points `tag` at `manifest` in the layout's index.json, under a lock so that two writers doing a
 * read-modify-write of the index at the same time cannot lose each other's tags. The manifest and
 * everything it references must already be stored: the tag is the publication step.
 */
export async function bindTag(
  layoutDir: string,
  manifest: BlobDescriptor,
  tag: string,
  options: BindTagOptions,
): Promise<BindTagResult> {
  const lockPath = join(layoutDir, `${INDEX_FILE}.lock`);
  return withFileLock(
    lockPath,
    async () => {
      const index = await readIndex(layoutDir, options.code);
      const previous = findTag(index, tag)?.digest;
      if (previous === manifest.digest) return { previous, changed: false };
      if (previous !== undefined && options.onConflict === 'refuse')
        throw tagImmutableError(layoutDir, tag, previous, manifest.digest);
      await writeIndex(layoutDir, withTag(index, manifest, tag));
      return { previous, changed: true };
    },
    { code: options.code, ...options.lock },
  );
}

export function tagImmutableError(
  location: string,
  tag: string,
  bound: string,
  offered: string,
): CutoverError {
  return new CutoverError(
    'E_TAG_IMMUTABLE',
    `tag ${tag} in ${location} is already bound to ${bound}; refusing to rebind it to ${offered} (tags are immutable)`,
    { tag, location, boundDigest: bound, offeredDigest: offered },
  );
}
