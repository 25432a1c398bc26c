import { rename } from 'node:fs/promises';
import { CutoverError } from '../../../core/errors.js';
import { blobPath, blobsDir } from '../../../lib/oci/digest.js';
import { writeRemoteBlobs } from '../../../lib/oci/remote-blobs-file.js';
import { readVerifiedBlob } from '../../../lib/oci/verified-blob.js';
import type { BlobDescriptor, LocalImage, RemoteBlobs } from '../../../ports/release.js';
import { syncDirectory } from '../../registry/layout/atomic-write.js';
import { ensureLayout, hasBlob, writeBlobBytes } from '../../registry/layout/blob-store.js';
import { hashFile } from '../../registry/layout/hashing-stream.js';
import { readIndex } from '../../registry/layout/index-json.js';
import { parseImageManifest } from '../../registry/layout/verify-image.js';

const CODES = { missing: 'E_BUILD_FAILED', invalid: 'E_BUILD_FAILED' } as const;

/** The one image of a layout podman exported: its manifest, as parsed and as a document. */
export interface ExportedImage {
  exportDir: string;
  manifest: ReturnType<typeof parseImageManifest>;
  document: { layers: BlobDescriptor[]; annotations?: Record<string, string>; [key: string]: unknown };
  /** the image's config, for its `rootfs.diff_ids` */
  diffIds: string[];
}

export async function readExportedImage(exportDir: string): Promise<ExportedImage> {
  const index = await readIndex(exportDir, 'E_BUILD_FAILED');
  const digest = index.manifests[0]?.digest;
  if (index.manifests.length !== 1 || digest === undefined)
    throw new CutoverError(
      'E_BUILD_FAILED',
      `podman exported ${index.manifests.length} images, expected one`,
      {
        exportDir,
      },
    );
  const bytes = await readVerifiedBlob(exportDir, digest, CODES);
  const manifest = parseImageManifest(bytes, digest, 'E_BUILD_FAILED');
  const config = JSON.parse(
    (await readVerifiedBlob(exportDir, manifest.config.digest, CODES)).toString('utf8'),
  ) as {
    rootfs?: { diff_ids?: string[] };
  };
  return {
    exportDir,
    manifest,
    document: JSON.parse(bytes.toString('utf8')) as ExportedImage['document'],
    diffIds: config.rootfs?.diff_ids ?? [],
  };
}

/**
 * Moves the exported image's blobs into the build layout, each checked against its digest first.
 * With `base`, the first layers are the base's own blobs instead of podman's recompression of
 * them (same content, by diff_id), left in the registry (`remote`) for the push to mount.
 */
export async function importExportedImage(
  exported: ExportedImage,
  layoutDir: string,
  base: { layers: BlobDescriptor[]; remote: RemoteBlobs } | undefined,
): Promise<LocalImage> {
  const { manifest, document, exportDir } = exported;
  await ensureLayout(layoutDir);
  const own = manifest.layers.slice(base?.layers.length ?? 0);
  for (const blob of [manifest.config, ...own]) await moveVerifiedBlob(exportDir, layoutDir, blob);
  const layers = [...(base?.layers ?? []), ...own];
  // The document is kept whole (annotations, key order): only the base's descriptors change.
  const stored = await writeBlobBytes(
    layoutDir,
    Buffer.from(JSON.stringify({ ...document, layers: base ? layers : document.layers })),
    manifest.mediaType,
  );
  if (base) await writeRemoteBlobs(layoutDir, stored.digest, base.remote);
  return {
    layoutDir,
    manifest: stored,
    config: manifest.config,
    layers,
    ...(base ? { remote: base.remote } : {}),
  };
}

async function moveVerifiedBlob(exportDir: string, layoutDir: string, blob: BlobDescriptor): Promise<void> {
  if (await hasBlob(layoutDir, blob.digest)) return;
  const from = blobPath(exportDir, blob.digest, 'E_BUILD_FAILED');
  const actual = await hashFile(from);
  if (actual.digest !== blob.digest || actual.size !== blob.size)
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `podman exported ${from} hashing to ${actual.digest}, expected ${blob.digest}`,
      {
        expected: blob.digest,
        actual: actual.digest,
      },
    );
  // Both are under the state dir, so this is a rename, not a copy of the layer's bytes.
  await rename(from, blobPath(layoutDir, blob.digest));
  await syncDirectory(blobsDir(layoutDir));
}
