import { CutoverError, type ErrorCode } from '../../../core/errors.js';
import { OCI_MANIFEST_MEDIA_TYPE, type BlobDescriptor, type LocalImage } from '../../../ports/release.js';
import { blobPath, isDigest } from '../../../lib/oci/digest.js';
import { readVerifiedBlob } from '../../../lib/oci/verified-blob.js';
import { pathExists } from './blob-store.js';
import { hashFile } from './hashing-stream.js';

interface ManifestDocument {
  mediaType?: string;
  config?: BlobDescriptor;
  layers?: BlobDescriptor[];
}

/**
 * Parses a manifest's bytes into the descriptors it references, refusing one whose descriptors
 * could not name a blob (a digest that is not sha256 would become an arbitrary file name).
 */
export function parseImageManifest(
  bytes: Buffer,
  digest: string,
  code: ErrorCode,
): { mediaType: string; config: BlobDescriptor; layers: BlobDescriptor[] } {
  let doc: ManifestDocument;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as ManifestDocument;
  } catch (err) {
    throw new CutoverError(code, `manifest ${digest} is not valid JSON`, { digest }, err);
  }
  const blobs = [doc.config, ...(Array.isArray(doc.layers) ? doc.layers : [])];
  if (!doc.config || !Array.isArray(doc.layers) || blobs.some((b) => !isDescriptor(b))) {
    throw new CutoverError(code, `manifest ${digest} is not an image manifest with a config and layers`, {
      digest,
    });
  }
  return { mediaType: doc.mediaType ?? OCI_MANIFEST_MEDIA_TYPE, config: doc.config, layers: doc.layers };
}

function isDescriptor(value: unknown): value is BlobDescriptor {
  const d = value as BlobDescriptor | undefined;
  return (
    !!d &&
    typeof d.mediaType === 'string' &&
    isDigest(d.digest) &&
    Number.isSafeInteger(d.size) &&
    d.size >= 0
  );
}

/**
 * Checks that the layout holds the manifest `digest` and every blob it references, each hashing
 * to its digest with its declared size (`E_NOT_FOUND` if one is absent, `E_DIGEST_MISMATCH` if one
 * was altered), and returns the image as stored there.
 */
export async function verifyStoredImage(layoutDir: string, digest: string): Promise<LocalImage> {
  const bytes = await readVerifiedBlob(layoutDir, digest);
  const manifest = parseImageManifest(bytes, digest, 'E_DIGEST_MISMATCH');
  for (const blob of [manifest.config, ...manifest.layers]) await verifyStoredBlob(layoutDir, blob);
  return {
    layoutDir,
    manifest: { mediaType: manifest.mediaType, digest, size: bytes.length },
    config: manifest.config,
    layers: manifest.layers,
  };
}

export async function verifyStoredBlob(layoutDir: string, blob: BlobDescriptor): Promise<void> {
  const path = blobPath(layoutDir, blob.digest);
  if (!(await pathExists(path))) {
    throw new CutoverError('E_NOT_FOUND', `blob ${blob.digest} is missing from ${layoutDir} (${path})`, {
      digest: blob.digest,
      path,
    });
  }
  const actual = await hashFile(path);
  if (actual.digest !== blob.digest || actual.size !== blob.size) {
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `blob ${path} should be ${blob.digest} (${blob.size} bytes) but hashes to ${actual.digest} (${actual.size} bytes)`,
      {
        path,
        expected: blob.digest,
        actual: actual.digest,
      },
    );
  }
}
