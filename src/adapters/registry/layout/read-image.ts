import { CutoverError } from '../../../core/errors.js';
import { blobPath, isDigest } from '../../../lib/oci/digest.js';
import { readVerifiedBlob } from '../../../lib/oci/verified-blob.js';
import type { ReadImageOptions } from '../../../ports/registry.js';
import type { BlobDescriptor, LocalImage } from '../../../ports/release.js';
import { selectPlatformManifest } from '../image-index.js';
import { copyVerifiedBlob, ensureLayout, hasBlob, pathExists, writeBlobBytes } from './blob-store.js';
import { findTag, readIndex } from './index-json.js';
import { parseImageManifest } from './verify-image.js';

const CODES = { missing: 'E_BUILD_FAILED', invalid: 'E_BUILD_FAILED' } as const;

/**
 * `Registry.readImage` for one repository's layout `repoDir`: the manifest (through an index for
 * the platform) and the config are copied, verified, into `layoutDir`; the layers only with
 * `copyLayers`. `location` is the repository's `describe()`, recorded in `remote`.
 */
export async function readLayoutImage(
  repoDir: string,
  location: string,
  repository: string,
  reference: string,
  layoutDir: string,
  options: ReadImageOptions,
): Promise<LocalImage | undefined> {
  const digest = isDigest(reference)
    ? reference
    : findTag(await readIndex(repoDir, 'E_BUILD_FAILED'), reference)?.digest;
  if (digest === undefined || !(await hasBlob(repoDir, digest))) return undefined;
  let bytes = await readVerifiedBlob(repoDir, digest, CODES);
  let manifestDigest = digest;
  const chosen = selectPlatformManifest(bytes, '', options.platform, `${location}:${reference}`);
  if (chosen) {
    if (!(await hasBlob(repoDir, chosen.digest)))
      throw new CutoverError(
        'E_BUILD_FAILED',
        `${location}:${reference} names ${chosen.digest}, which it lacks`,
        {
          location,
          digest: chosen.digest,
        },
      );
    bytes = await readVerifiedBlob(repoDir, chosen.digest, CODES);
    manifestDigest = chosen.digest;
  }
  const manifest = parseImageManifest(bytes, manifestDigest, 'E_BUILD_FAILED');
  await ensureLayout(layoutDir);
  const wanted: BlobDescriptor[] = [manifest.config, ...(options.copyLayers ? manifest.layers : [])];
  for (const blob of wanted) await copyBlob(repoDir, layoutDir, blob);
  await writeBlobBytes(layoutDir, bytes, manifest.mediaType);
  return {
    layoutDir,
    manifest: { mediaType: manifest.mediaType, digest: manifestDigest, size: bytes.length },
    config: manifest.config,
    layers: manifest.layers,
    ...(options.copyLayers
      ? {}
      : { remote: { location, repository, digests: manifest.layers.map((l) => l.digest) } }),
  };
}

async function copyBlob(repoDir: string, layoutDir: string, blob: BlobDescriptor): Promise<void> {
  const source = blobPath(repoDir, blob.digest, 'E_BUILD_FAILED');
  if (!(await pathExists(source)))
    throw new CutoverError('E_BUILD_FAILED', `blob ${blob.digest} is missing from ${repoDir}`, {
      digest: blob.digest,
      path: source,
    });
  await copyVerifiedBlob(source, layoutDir, blob, 'E_BUILD_FAILED');
}
