import { CutoverError } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { appendDigestParam, repositoryPath, shortDigest } from './blob-path.js';
import { readFileRange } from './file-body.js';
import { firstHeader, type RegistryResponse } from './registry-request.js';
import type { RegistrySession } from './registry-session.js';
import type { RetryPolicy } from './retry-policy.js';

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

/**
 * The closing `PUT ?digest=` of an upload, carrying the blob's bytes from `start` to its end
 * (none when earlier chunks carried them all), in one attempt: a PUT cut halfway leaves the
 * upload unusable, so each caller recovers its own way.
 */
export async function finishUpload(
  session: RegistrySession,
  target: BlobTarget,
  location: string,
  start: number,
  readBufferSize: number,
): Promise<void> {
  const end = target.blob.size - 1;
  const res = await session.send({
    method: 'PUT',
    url: appendDigestParam(location, target.blob.digest),
    scopes: target.scopes,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - start + 1) },
    body: end >= start ? () => readFileRange(target.path, start, end, readBufferSize) : undefined,
    expect: [201],
    action: describeUpload(target),
    repository: target.repository,
    retry: false,
  });
  await res.body.dump();
  assertStoredDigest(res, session, target);
}

/** The registry names the digest it stored; anything else means the bytes changed on the way. */
function assertStoredDigest(res: RegistryResponse, session: RegistrySession, target: BlobTarget): void {
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
