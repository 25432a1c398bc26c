import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError } from '../core/errors.js';
import { OCI_MANIFEST_MEDIA_TYPE, type BlobDescriptor, type LocalImage } from '../ports/release.js';

interface ManifestJson {
  mediaType?: string;
  config: BlobDescriptor;
  layers: BlobDescriptor[];
}

/**
 * Re-opens a built image from its layout by manifest digest, so a resumed deploy pushes exactly
 * what BUILD_SUCCESS recorded instead of building again from a source that may have changed.
 */
export async function readLocalImage(layoutDir: string, digest: string): Promise<LocalImage> {
  const hex = digest.replace(/^sha256:/, '');
  let bytes: Buffer;
  try {
    bytes = await readFile(join(layoutDir, 'blobs', 'sha256', hex));
  } catch (err) {
    throw new CutoverError('E_BUILD_FAILED', `built image ${digest} is no longer in ${layoutDir}`, {}, err);
  }
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== digest) {
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `manifest ${digest} in ${layoutDir} hashes to ${actual}: the build output was altered`,
    );
  }
  const manifest = JSON.parse(bytes.toString('utf8')) as ManifestJson;
  return {
    layoutDir,
    manifest: { mediaType: manifest.mediaType ?? OCI_MANIFEST_MEDIA_TYPE, digest, size: bytes.length },
    config: manifest.config,
    layers: manifest.layers,
  };
}
