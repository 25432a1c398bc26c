import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CutoverError, type ErrorCode } from '../../core/errors.js';

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** `sha256:<hex>` of some bytes held in memory (manifests, configs, index files). */
export function digestBytes(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

/**
 * Digests read from a manifest or an index become file names, so anything but a well-formed
 * sha256 digest is refused before it can name a path outside `blobs/sha256`.
 */
export function assertDigest(digest: string, code: ErrorCode = 'E_DIGEST_MISMATCH'): void {
  if (!isDigest(digest)) {
    throw new CutoverError(code, `not a sha256 digest: ${JSON.stringify(String(digest).slice(0, 80))}`, {
      digest: String(digest).slice(0, 80),
    });
  }
}

/** Path of a blob inside an OCI image layout; `code` is the error for a digest that is not sha256. */
export function blobPath(layoutDir: string, digest: string, code?: ErrorCode): string {
  assertDigest(digest, code);
  return join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

export function blobsDir(layoutDir: string): string {
  return join(layoutDir, 'blobs', 'sha256');
}

/** `sha256:0123456789ab` — enough to recognise a blob in a message. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}
