import { readFile } from 'node:fs/promises';
import { CutoverError, type ErrorCode } from '../../core/errors.js';
import { blobPath, digestBytes } from './digest.js';

export interface VerifiedBlobCodes {
  /** when the blob is absent (default `E_NOT_FOUND`) */
  missing?: ErrorCode;
  /** when `digest` is not a sha256 digest and so names no blob (default `E_DIGEST_MISMATCH`) */
  invalid?: ErrorCode;
}

/**
 * Reads a whole (small) blob of an OCI image layout, a manifest or a config, and checks it is
 * what its digest says (`E_DIGEST_MISMATCH` otherwise). The one reader the registry's layout, the
 * executor's local image and the runtime's unpacking share; each picks the codes its callers
 * expect (a build output that vanished is `E_BUILD_FAILED`, not `E_NOT_FOUND`).
 */
export async function readVerifiedBlob(
  layoutDir: string,
  digest: string,
  codes: VerifiedBlobCodes = {},
): Promise<Buffer> {
  const path = blobPath(layoutDir, digest, codes.invalid);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new CutoverError(
      codes.missing ?? 'E_NOT_FOUND',
      `blob ${digest} is missing from ${layoutDir} (${path})`,
      { digest, path },
      err,
    );
  }
  const actual = digestBytes(bytes);
  if (actual !== digest) {
    throw new CutoverError('E_DIGEST_MISMATCH', `blob ${path} should be ${digest} but hashes to ${actual}`, {
      path,
      expected: digest,
      actual,
    });
  }
  return bytes;
}
