import { setTimeout as sleep } from 'node:timers/promises';
import { isCutoverError } from '../../../core/errors.js';
import { firstHeader } from './registry-request.js';
import { blobExists, parseRangeEnd } from './blob-status.js';
import { readFileRange } from './file-body.js';
import { createRangeError } from './registry-errors.js';
import type { RegistrySession } from './registry-session.js';
import { computeBackoff, isRetryableError } from './retry-policy.js';
import {
  describeUpload,
  finishUpload,
  requireLocation,
  startUpload,
  type BlobTarget,
  type UploadTuning,
} from './upload-requests.js';

interface UploadState {
  location: string;
  /** bytes the registry has acknowledged */
  offset: number;
}

/**
 * Chunked upload (`PATCH` per chunk, the last one in the closing `PUT ?digest=`) that survives a dropped connection:
 * it asks the registry how much it kept (`GET` on the upload URL) and goes on from there, or
 * starts over when the registry gave the upload up. distribution 2.8 ignores Content-Range, so the
 * `Range` it answers is checked here. Failures are bounded by the retry policy's attempts.
 */
export async function uploadChunked(
  session: RegistrySession,
  target: BlobTarget,
  firstLocation: string | undefined,
  tuning: UploadTuning,
): Promise<void> {
  let state: UploadState = {
    location: firstLocation ?? (await startUpload(session, target)).location!,
    offset: 0,
  };
  let failures = 0;
  let recovering = false;
  for (;;) {
    try {
      if (recovering) state = await recoverUpload(session, target, state);
      recovering = false;
      // The last chunk travels with the closing PUT: the registry then verifies the digest from
      // its running hash instead of reading the whole upload back (2.8 does on an empty PUT).
      if (target.blob.size - state.offset <= tuning.chunkSize)
        return await completeUpload(session, target, state, tuning);
      const expected = Math.min(state.offset + tuning.chunkSize, target.blob.size);
      state = await sendChunk(session, target, state, tuning);
      if (state.offset !== expected) {
        // The registry kept something else than what was sent; its own account decides.
        if (++failures >= tuning.retry.attempts)
          throw createRangeError(
            { action: describeUpload(target), registry: session.baseUrl, repository: target.repository },
            state.offset,
            expected,
          );
        recovering = true;
      }
    } catch (err) {
      if (!isRetryableError(err) || ++failures >= tuning.retry.attempts) throw err;
      await (tuning.retry.sleep ?? sleep)(computeBackoff(tuning.retry, failures));
      recovering = true;
    }
  }
}

async function sendChunk(
  session: RegistrySession,
  target: BlobTarget,
  state: UploadState,
  tuning: UploadTuning,
): Promise<UploadState> {
  const start = state.offset;
  const end = Math.min(start + tuning.chunkSize, target.blob.size) - 1;
  const res = await session.send({
    method: 'PATCH',
    url: state.location,
    scopes: target.scopes,
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'content-range': `${start}-${end}`,
    },
    body: () => readFileRange(target.path, start, end, tuning.readBufferSize),
    expect: [202],
    action: describeUpload(target),
    repository: target.repository,
    retry: false,
  });
  await res.body.dump();
  // Always the newest Location: it carries the upload's state (offset, hash) in 2.8.
  const location = session.resolveUrl(requireLocation(res, session, target));
  const acknowledged = parseRangeEnd(firstHeader(res.headers.range), end + 1);
  return { location, offset: acknowledged ?? end + 1 };
}

/** After a failure: continue where the registry says it is, or start a new upload. */
async function recoverUpload(
  session: RegistrySession,
  target: BlobTarget,
  state: UploadState,
): Promise<UploadState> {
  try {
    const res = await session.send({
      method: 'GET',
      url: state.location,
      scopes: target.scopes,
      expect: [204],
      action: `${describeUpload(target)}: asking for the upload's progress`,
      repository: target.repository,
      retry: false,
    });
    await res.body.dump();
    const offset = parseRangeEnd(firstHeader(res.headers.range), state.offset);
    const location = firstHeader(res.headers.location);
    if (offset !== undefined && offset <= target.blob.size)
      return { location: location ? session.resolveUrl(location) : state.location, offset };
  } catch (err) {
    // 4xx: the registry dropped the upload (2.8 does when a cut PATCH left extra bytes in it).
    if (!isCutoverError(err) || isRetryableError(err)) throw err;
  }
  return { location: (await startUpload(session, target)).location!, offset: 0 };
}

async function completeUpload(
  session: RegistrySession,
  target: BlobTarget,
  state: UploadState,
  tuning: UploadTuning,
): Promise<void> {
  try {
    await finishUpload(session, target, state.location, state.offset, tuning.readBufferSize);
  } catch (err) {
    // The answer may be what got lost, not the PUT: if the blob is there, the upload is done.
    if (isRetryableError(err) && (await blobExists(session, target))) return;
    throw err;
  }
}
