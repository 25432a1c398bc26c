import { stat } from 'node:fs/promises';
import type { LocalImage } from '../../../ports/release.js';
import { foreignBaseBlobError } from '../foreign-base-blob.js';
import { repositoryScope } from './auth-challenge.js';
import { downloadBlob } from './blob-download.js';
import { shortDigest } from './blob-path.js';
import { startUpload, type BlobTarget } from './upload-requests.js';
import type { RegistrySession } from './registry-session.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The repository of this registry a blob absent from the image's layout is to be taken from (a
 * base image's layer, `LocalImage.remote`), or undefined for a blob the layout holds.
 */
export async function remoteRepositoryOf(
  session: RegistrySession,
  image: LocalImage,
  target: BlobTarget,
): Promise<string | undefined> {
  const remote = image.remote;
  if (!remote?.digests.includes(target.blob.digest)) return undefined;
  if (
    await stat(target.path).then(
      () => true,
      () => false,
    )
  )
    return undefined;
  if (remote.location !== `${session.baseUrl}/${remote.repository}`)
    throw foreignBaseBlobError(target.blob.digest, remote.location, session.baseUrl);
  return remote.repository;
}

/**
 * Links the blob into `target.repository` from `from` without sending it (a cross-repository
 * mount). A registry that answers 202 instead (it could not mount) gets the bytes the long way:
 * they are downloaded from `from` into the image's layout, verified, for an ordinary upload.
 * Returns true when mounted.
 */
export async function mountOrFetch(
  session: RegistrySession,
  image: LocalImage,
  target: BlobTarget,
  from: string,
  retry: RetryPolicy,
): Promise<boolean> {
  const mount = await startUpload(session, target, from);
  if (mount.status === 201) return true;
  await downloadBlob(
    session,
    {
      repository: from,
      scopes: [repositoryScope(from, 'pull')],
      action: `fetching base blob ${shortDigest(target.blob.digest)} from ${from}`,
    },
    target.blob,
    retry,
    image.layoutDir,
  );
  return false;
}
