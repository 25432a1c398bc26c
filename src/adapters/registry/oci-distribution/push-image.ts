import { CutoverError } from '../../../core/errors.js';
import type { PushResult } from '../../../ports/registry.js';
import type { BlobDescriptor, LocalImage } from '../../../ports/release.js';
import { repositoryScope } from './auth-challenge.js';
import { downloadBlob } from './blob-download.js';
import { resolveBlobPath } from './blob-path.js';
import { uploadBlob } from './blob-upload.js';
import type { BlobTarget, UploadTuning } from './upload-requests.js';
import { assertLocalBlob, readLocalManifest } from './local-image.js';
import { blobExists } from './blob-status.js';
import { headManifest, putManifest, type ManifestCall } from './manifest-client.js';
import { publishTag, verifyServedManifest } from './publish-tag.js';
import { mountOrFetch, remoteRepositoryOf } from './remote-blob.js';
import type { RegistrySession } from './registry-session.js';

export interface PushContext {
  session: RegistrySession;
  tuning: UploadTuning;
  verify: 'digest' | 'full';
  /** digest → a repository of this registry known to hold it, for cross-repository mounts */
  knownBlobs: Map<string, string>;
}

/**
 * Push in the order that keeps a tag from ever naming something incomplete: refuse a rebound tag
 * before writing anything, upload the blobs, store the manifest by digest (the registry checks
 * it), verify, and only then bind the tag.
 */
export async function pushImage(
  ctx: PushContext,
  image: LocalImage,
  repository: string,
  tag: string,
): Promise<PushResult> {
  const { session } = ctx;
  const call: ManifestCall = {
    repository,
    scopes: [repositoryScope(repository, 'pull,push')],
    action: `pushing ${repository}:${tag}`,
  };
  const manifestBytes = await readLocalManifest(image);
  await session.ping(call.scopes, call.action);

  const bound = await headManifest(session, call, tag);
  if (bound !== undefined && bound !== image.manifest.digest)
    throw createImmutableTagError(session, repository, tag, bound, image.manifest.digest);
  if (bound === image.manifest.digest) {
    // Idempotent re-push: nothing is written, what is there is checked again.
    if (ctx.verify === 'full') await verifyBlobs(ctx, call, image);
    await verifyServedManifest(session, call, tag, image.manifest.digest);
    return { digest: image.manifest.digest, alreadyPresent: true };
  }

  let transferred = 0;
  for (const blob of [image.config, ...image.layers]) {
    if (await pushBlob(ctx, image, blob, repository, call.scopes)) transferred++;
  }
  const stored = await headManifest(session, call, image.manifest.digest);
  // By digest first: the registry refuses bytes that do not hash to it (DIGEST_INVALID).
  if (stored === undefined)
    await putManifest(session, call, image.manifest.digest, manifestBytes, image.manifest.mediaType);
  await verifyServedManifest(session, call, image.manifest.digest, image.manifest.digest);
  if (ctx.verify === 'full') await verifyBlobs(ctx, call, image);
  await publishTag(session, call, tag, manifestBytes, image.manifest);
  return { digest: image.manifest.digest, alreadyPresent: transferred === 0 && stored !== undefined };
}

/** Returns true when bytes were sent or mounted, false when the repository already had the blob. */
async function pushBlob(
  ctx: PushContext,
  image: LocalImage,
  blob: BlobDescriptor,
  repository: string,
  scopes: string[],
): Promise<boolean> {
  const target: BlobTarget = {
    blob,
    path: resolveBlobPath(image.layoutDir, blob.digest),
    repository,
    scopes,
  };
  if (await blobExists(ctx.session, target)) {
    ctx.knownBlobs.set(blob.digest, repository);
    return false;
  }
  const from = await remoteRepositoryOf(ctx.session, image, target);
  if (from !== undefined && (await mountOrFetch(ctx.session, image, target, from, ctx.tuning.retry))) {
    ctx.knownBlobs.set(blob.digest, repository);
    return true;
  }
  await assertLocalBlob(target);
  await uploadBlob(ctx.session, target, ctx.knownBlobs.get(blob.digest), ctx.tuning);
  ctx.knownBlobs.set(blob.digest, repository);
  return true;
}

/** `verify: full`: every blob is downloaded back and re-hashed; nothing is kept. */
async function verifyBlobs(ctx: PushContext, call: ManifestCall, image: LocalImage): Promise<void> {
  for (const blob of [image.config, ...image.layers]) {
    await downloadBlob(
      ctx.session,
      { ...call, action: `verifying ${call.repository}` },
      blob,
      ctx.tuning.retry,
    );
  }
}

function createImmutableTagError(
  session: RegistrySession,
  repository: string,
  tag: string,
  bound: string,
  wanted: string,
): CutoverError {
  return new CutoverError(
    'E_TAG_IMMUTABLE',
    `tag ${repository}:${tag} at ${session.baseUrl} is already bound to ${bound}; refusing to rebind it to ${wanted} (tags are immutable)`,
    // Same detail names as the oci-layout registry, so callers read either alike.
    { registry: session.baseUrl, repository, tag, boundDigest: bound, offeredDigest: wanted },
  );
}
