import { uploadChunked } from './chunked-upload.js';
import type { RegistrySession } from './registry-session.js';
import { runWithRetry } from './retry-policy.js';
import { finishUpload, startUpload, type BlobTarget, type UploadTuning } from './upload-requests.js';

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

async function uploadMonolithic(
  session: RegistrySession,
  target: BlobTarget,
  mountLocation: string | undefined,
  tuning: UploadTuning,
): Promise<void> {
  // A PUT cut halfway leaves the upload unusable, so every attempt starts a fresh one.
  await runWithRetry(tuning.retry, async (attempt) => {
    const location =
      attempt === 1 && mountLocation ? mountLocation : (await startUpload(session, target)).location;
    await finishUpload(session, target, location as string, 0, tuning.readBufferSize);
  });
}
