import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CutoverError, type ErrorCode } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { blobPath, blobsDir, digestBytes } from '../../../lib/oci/digest.js';
import { syncDirectory, tempPathFor, writeFileAtomic } from './atomic-write.js';
import { removeStaleTemps } from './stale-temps.js';
import { HashingStream } from './hashing-stream.js';

export const OCI_LAYOUT_FILE = 'oci-layout';
const OCI_LAYOUT_CONTENT = `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`;

/**
 * Creates `blobs/sha256` and the `oci-layout` marker unless they exist, and clears what a killed
 * writer left behind; safe to call each time.
 */
export async function ensureLayout(layoutDir: string): Promise<void> {
  await mkdir(blobsDir(layoutDir), { recursive: true });
  await removeStaleTemps(blobsDir(layoutDir));
  const marker = join(layoutDir, OCI_LAYOUT_FILE);
  if (!(await pathExists(marker))) await writeFileAtomic(marker, OCI_LAYOUT_CONTENT);
}

export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function hasBlob(layoutDir: string, digest: string): Promise<boolean> {
  return pathExists(blobPath(layoutDir, digest));
}

/**
 * Stores small in-memory content (config, manifest) as a blob. An existing file is kept only if
 * it still hashes to its name, so a blob damaged on disk is repaired by the next write.
 */
export async function writeBlobBytes(
  layoutDir: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<BlobDescriptor> {
  const digest = digestBytes(bytes);
  const path = blobPath(layoutDir, digest);
  const existing = await readFile(path).catch(() => undefined);
  if (!existing || digestBytes(existing) !== digest) await writeFileAtomic(path, bytes);
  return { mediaType, digest, size: bytes.length };
}

/**
 * Moves a fully written and synced temp file into place under its digest. The bytes were just
 * hashed, so they replace whatever file is there (atomically): identical content if another
 * writer got there first, and a repair if the old file had rotted.
 */
export async function commitBlob(tmpPath: string, layoutDir: string, digest: string): Promise<void> {
  await rename(tmpPath, blobPath(layoutDir, digest));
  await syncDirectory(blobsDir(layoutDir));
}

/**
 * Copies `srcPath` into the layout as `expected`, hashing while copying; a source that does not
 * hash to its digest (or has another size) is refused with `E_DIGEST_MISMATCH` and leaves nothing.
 * Returns false when the blob was already stored.
 */
export async function copyVerifiedBlob(
  srcPath: string,
  layoutDir: string,
  expected: BlobDescriptor,
  missingCode: ErrorCode = 'E_NOT_FOUND',
): Promise<boolean> {
  const dest = blobPath(layoutDir, expected.digest);
  if (await pathExists(dest)) return false;
  const tmp = tempPathFor(dest);
  const tap = new HashingStream();
  try {
    await pipeline(createReadStream(srcPath), tap, createWriteStream(tmp, { flags: 'wx', flush: true }));
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CutoverError(
      missing ? missingCode : 'E_PUSH_FAILED',
      `cannot copy blob ${expected.digest} from ${srcPath}: ${(err as Error).message}`,
      { digest: expected.digest, path: srcPath },
      err,
    );
  }
  if (tap.digest !== expected.digest || tap.size !== expected.size) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `blob ${srcPath} should be ${expected.digest} (${expected.size} bytes) but hashes to ${tap.digest} (${tap.size} bytes)`,
      {
        path: srcPath,
        expected: expected.digest,
        actual: tap.digest,
        expectedSize: expected.size,
        actualSize: tap.size,
      },
    );
  }
  await commitBlob(tmp, layoutDir, expected.digest);
  return true;
}
