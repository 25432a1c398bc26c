import { CutoverError, isCutoverError } from '../../core/errors.js';
import type { PushResult } from '../../ports/registry.js';
import type { LocalImage, RemoteBlobs } from '../../ports/release.js';
import { blobPath, digestBytes } from '../../lib/oci/digest.js';
import { readVerifiedBlob } from '../../lib/oci/verified-blob.js';
import { copyVerifiedBlob, ensureLayout, hasBlob, pathExists, writeBlobBytes } from './layout/blob-store.js';
import { findTag, readIndex } from './layout/index-json.js';
import { bindTag, tagImmutableError } from './layout/tag-binding.js';
import { parseImageManifest } from './layout/verify-image.js';
import { foreignBaseBlobError } from './foreign-base-blob.js';

/**
 * Copies `image` into the repository layout `repoDir` and binds `tag` to it, in the order that
 * keeps readers safe: blobs (each verified while copied), then the manifest, then a re-hash of
 * the stored manifest, and only then the tag. A failure at any point leaves the tag unbound.
 * `location` names the registry in messages.
 */
export async function pushToLayout(
  image: LocalImage,
  repoDir: string,
  tag: string,
  location: string,
  remoteDir: (remote: RemoteBlobs) => string | undefined,
): Promise<PushResult> {
  try {
    return await pushImage(image, repoDir, tag, location, remoteDir);
  } catch (err) {
    if (isCutoverError(err) && err.code !== 'E_NOT_FOUND' && err.code !== 'E_INTERNAL') throw err;
    throw new CutoverError(
      'E_PUSH_FAILED',
      `pushing ${image.manifest.digest} to ${location} as ${tag} failed: ${(err as Error).message}`,
      { location, tag, digest: image.manifest.digest },
      err,
    );
  }
}

async function pushImage(
  image: LocalImage,
  repoDir: string,
  tag: string,
  location: string,
  remoteDir: (remote: RemoteBlobs) => string | undefined,
): Promise<PushResult> {
  const digest = image.manifest.digest;
  // Checked before anything is written: a refused tag must leave the registry untouched.
  const bound = findTag(await readIndex(repoDir, 'E_PUSH_FAILED'), tag)?.digest;
  if (bound !== undefined && bound !== digest) throw tagImmutableError(location, tag, bound, digest);

  const manifestBytes = await readVerifiedBlob(image.layoutDir, digest);
  const manifest = parseImageManifest(manifestBytes, digest, 'E_PUSH_FAILED');
  await ensureLayout(repoDir);
  let copied = 0;
  for (const blob of [manifest.config, ...manifest.layers]) {
    const source = await sourceOf(image, blob.digest, remoteDir, location);
    if (await copyVerifiedBlob(source, repoDir, blob, 'E_PUSH_FAILED')) copied += 1;
  }
  if (!(await hasBlob(repoDir, digest))) {
    await writeBlobBytes(repoDir, manifestBytes, manifest.mediaType);
    copied += 1;
  }

  const stored = await readVerifiedBlob(repoDir, digest);
  const storedDigest = digestBytes(stored);
  if (storedDigest !== digest) {
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `${location} stored manifest ${storedDigest} for ${tag}, expected ${digest}`,
      { tag, expected: digest, actual: storedDigest },
    );
  }
  await bindTag(repoDir, { mediaType: manifest.mediaType, digest, size: stored.length }, tag, {
    onConflict: 'refuse',
    code: 'E_PUSH_FAILED',
  });
  return { digest: storedDigest, alreadyPresent: copied === 0 };
}

/** Where a blob's bytes are: the image's layout, or for a base layer it lacks, the base's repository. */
async function sourceOf(
  image: LocalImage,
  digest: string,
  remoteDir: (remote: RemoteBlobs) => string | undefined,
  location: string,
): Promise<string> {
  const local = blobPath(image.layoutDir, digest);
  const remote = image.remote;
  if (!remote?.digests.includes(digest) || (await pathExists(local))) return local;
  const dir = remoteDir(remote);
  if (dir === undefined) throw foreignBaseBlobError(digest, remote.location, location);
  return blobPath(dir, digest);
}
