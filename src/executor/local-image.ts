import { readRemoteBlobs } from '../lib/oci/remote-blobs-file.js';
import { readVerifiedBlob } from '../lib/oci/verified-blob.js';
import { OCI_MANIFEST_MEDIA_TYPE, type BlobDescriptor, type LocalImage } from '../ports/release.js';

interface ManifestJson {
  mediaType?: string;
  config: BlobDescriptor;
  layers: BlobDescriptor[];
}

/**
 * Re-opens a built image from its layout by manifest digest, so a resumed deploy pushes exactly
 * what BUILD_SUCCESS recorded instead of building again from a source that may have changed.
 * A manifest no longer there is `E_BUILD_FAILED`; one altered since, `E_DIGEST_MISMATCH`.
 */
export async function readLocalImage(layoutDir: string, digest: string): Promise<LocalImage> {
  const bytes = await readVerifiedBlob(layoutDir, digest, { missing: 'E_BUILD_FAILED' });
  const manifest = JSON.parse(bytes.toString('utf8')) as ManifestJson;
  const remote = await readRemoteBlobs(layoutDir, digest);
  return {
    layoutDir,
    manifest: { mediaType: manifest.mediaType ?? OCI_MANIFEST_MEDIA_TYPE, digest, size: bytes.length },
    config: manifest.config,
    layers: manifest.layers,
    ...(remote ? { remote } : {}),
  };
}
