import { CutoverError } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { appendDigestParam, repositoryPath, shortDigest } from './blob-path.js';
import { uploadChunked } from './chunked-upload.js';
import { readFileRange } from './file-body.js';
import { firstHeader, type RegistryResponse } from './registry-request.js';
import type { RegistrySession } from './registry-session.js';
import { runWithRetry, type RetryPolicy } from './retry-policy.js';

export interface UploadTuning {
  /** Blobs of at least this many bytes go in chunks (resumable); smaller ones in one PUT. */
  chunkThreshold: number;
  chunkSize: number;
  /** Read buffer of the file streams, bytes; larger buffers mean fewer syscalls and writes. */
  readBufferSize: number;
  retry: RetryPolicy;
}

/** One blob to upload: what it is, where it is on disk, where it goes. */
export interface BlobTarget {
  blob: BlobDescriptor;
  path: string;
  repository: string;
  scopes: string[];
}

export type UploadOutcome = 'uploaded' | 'mounted';

/**
 * Uploads a blob the repository lacks: a cross-repository mount when another repository of the
 * registry is known to hold it, else a monolithic PUT or a chunked upload by size. The body is
 * streamed from disk in every case, so memory does not grow with the blob.
 */
export async function uploadBlob(
  session: RegistrySession,
  target: BlobTarget,
  mountFrom: string | undefined,
  tuning: UploadTuning,
): Promise<UploadOutcome> {
  let location: string | undefined;
  if (mountFrom && mountFrom !== target.repository) {
    const mount = await startUpload(session, target, mountFrom);
    if (mount.status === 201) return 'mounted';
    location = mount.location;
  }
  if (target.blob.size >= tuning.chunkThreshold) await uploadChunked(session, target, location, tuning);
  else await uploadMonolithic(session, target, location, tuning);
  return 'uploaded';
}

/** `POST …/blobs/uploads/` (optionally `?mount=&from=`): 202 with the upload's Location, or 201 when mounted. */
export async function startUpload(
  session: RegistrySession,
  target: BlobTarget,
  mountFrom?: string,
): Promise<{ status: number; location?: string }> {
  const query = mountFrom
    ? `?mount=${encodeURIComponent(target.blob.digest)}&from=${encodeURIComponent(mountFrom)}`
    : '';
  const res = await session.send({
    method: 'POST',
    url: repositoryPath(target.repository, `blobs/uploads/${query}`),
    scopes: mountFrom ? [...target.scopes, `repository:${mountFrom}:pull`] : target.scopes,
    headers: { 'content-length': '0' },
    expect: mountFrom ? [201, 202] : [202],
    action: describeUpload(target),
    repository: target.repository,
  });
  await res.body.dump();
  if (res.status === 201) return { status: 201 };
  return { status: 202, location: session.resolveUrl(requireLocation(res, session, target)) };
}

async function uploadMonolithic(
  session: RegistrySession,
  target: BlobTarget,
  mountLocation: string | undefined,
  tuning: UploadTuning,
): Promise<void> {
  const { blob, path } = target;
  // A PUT cut halfway leaves the upload unusable, so every attempt starts a fresh one.
  await runWithRetry(tuning.retry, async (attempt) => {
    const location =
      attempt === 1 && mountLocation ? mountLocation : (await startUpload(session, target)).location;
    const res = await session.send({
      method: 'PUT',
      url: appendDigestParam(location as string, blob.digest),
      scopes: target.scopes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
      body: () => readFileRange(path, 0, blob.size - 1, tuning.readBufferSize),
      expect: [201],
      action: describeUpload(target),
      repository: target.repository,
      retry: false,
    });
    await res.body.dump();
    assertStoredDigest(res, session, target);
  });
}

/** The registry names the digest it stored; anything else means the bytes changed on the way. */
export function assertStoredDigest(
  res: RegistryResponse,
  session: RegistrySession,
  target: BlobTarget,
): void {
  const stored = firstHeader(res.headers['docker-content-digest']);
  if (stored && stored !== target.blob.digest) {
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `registry stored ${shortDigest(stored)} for blob ${shortDigest(target.blob.digest)} (${session.baseUrl}/${target.repository})`,
      {
        registry: session.baseUrl,
        repository: target.repository,
        expected: target.blob.digest,
        actual: stored,
      },
    );
  }
}

export function requireLocation(res: RegistryResponse, session: RegistrySession, target: BlobTarget): string {
  const location = firstHeader(res.headers.location);
  if (!location) {
    throw new CutoverError(
      'E_PUSH_FAILED',
      `registry answered ${res.status} without a Location (${describeUpload(target)} at ${session.baseUrl}/${target.repository})`,
      {
        registry: session.baseUrl,
        repository: target.repository,
      },
    );
  }
  return location;
}

export function describeUpload(target: BlobTarget): string {
  return `uploading blob ${shortDigest(target.blob.digest)} (${target.blob.size} bytes)`;
}
