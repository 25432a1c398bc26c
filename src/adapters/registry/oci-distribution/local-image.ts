import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { CutoverError } from '../../../core/errors.js';
import type { LocalImage } from '../../../ports/release.js';
import { resolveBlobPath, shortDigest } from './blob-path.js';
import type { BlobTarget } from './upload-requests.js';

/** The manifest is sent as the exact bytes that were hashed, so they are checked first. */
export async function readLocalManifest(image: LocalImage): Promise<Buffer> {
  const bytes = await readFile(resolveBlobPath(image.layoutDir, image.manifest.digest));
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== image.manifest.digest) {
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `local manifest in ${image.layoutDir} hashes to ${shortDigest(actual)}, expected ${shortDigest(image.manifest.digest)}`,
      {
        layoutDir: image.layoutDir,
        expected: image.manifest.digest,
        actual,
      },
    );
  }
  return bytes;
}

export async function assertLocalBlob(target: BlobTarget): Promise<void> {
  const size = await stat(target.path).then(
    (s) => s.size,
    () => undefined,
  );
  if (size !== target.blob.size) {
    throw new CutoverError(
      'E_PUSH_FAILED',
      `blob ${shortDigest(target.blob.digest)} is ${size === undefined ? 'missing' : `${size} bytes, expected ${target.blob.size}`} at ${target.path}`,
      {
        path: target.path,
        digest: target.blob.digest,
      },
    );
  }
}
