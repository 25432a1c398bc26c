import { CutoverError } from '../../../core/errors.js';
import { isDigest } from '../../../lib/oci/digest.js';
import type { ReadImageOptions } from '../../../ports/registry.js';
import type { BlobDescriptor, LocalImage } from '../../../ports/release.js';
import { selectPlatformManifest } from '../image-index.js';
import { ensureLayout, hasBlob, writeBlobBytes } from '../layout/blob-store.js';
import { parseImageManifest } from '../layout/verify-image.js';
import { repositoryScope } from './auth-challenge.js';
import { downloadBlob } from './blob-download.js';
import { fetchManifest, type FetchedManifest, type ManifestCall } from './manifest-client.js';
import { assertManifestDigest } from './publish-tag.js';
import type { RegistrySession } from './registry-session.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * `Registry.readImage` over the Distribution API: the manifest (resolved through an index for the
 * platform) and the config are downloaded and verified; the layers only with `copyLayers`.
 */
export async function readRemoteImage(
  session: RegistrySession,
  retry: RetryPolicy,
  repository: string,
  reference: string,
  layoutDir: string,
  options: ReadImageOptions,
): Promise<LocalImage | undefined> {
  const where = `${session.baseUrl}/${repository}`;
  const call: ManifestCall = {
    repository,
    scopes: [repositoryScope(repository, 'pull')],
    action: `reading ${repository}${isDigest(reference) ? '@' : ':'}${reference}`,
    code: 'E_BUILD_FAILED',
  };
  await session.ping(call.scopes, call.action, call.code);
  let fetched = await fetchVerified(session, call, reference);
  if (!fetched) return undefined;
  const chosen = selectPlatformManifest(
    fetched.bytes,
    fetched.mediaType,
    options.platform,
    `${where}:${reference}`,
  );
  if (chosen) {
    fetched = await fetchVerified(session, call, chosen.digest);
    if (!fetched)
      throw new CutoverError(
        'E_BUILD_FAILED',
        `${where}:${reference} names ${chosen.digest}, which it does not serve`,
        {
          registry: session.baseUrl,
          repository,
          digest: chosen.digest,
        },
      );
  }
  const manifest = parseImageManifest(fetched.bytes, fetched.digest, 'E_BUILD_FAILED');
  await ensureLayout(layoutDir);
  const wanted: BlobDescriptor[] = [manifest.config, ...(options.copyLayers ? manifest.layers : [])];
  for (const blob of wanted) {
    if (!(await hasBlob(layoutDir, blob.digest))) await downloadBlob(session, call, blob, retry, layoutDir);
  }
  await writeBlobBytes(layoutDir, fetched.bytes, manifest.mediaType);
  return {
    layoutDir,
    manifest: { mediaType: manifest.mediaType, digest: fetched.digest, size: fetched.bytes.length },
    config: manifest.config,
    layers: manifest.layers,
    ...(options.copyLayers
      ? {}
      : { remote: { location: where, repository, digests: manifest.layers.map((l) => l.digest) } }),
  };
}

/** A manifest whose bytes hash to what the registry claims (and to `reference` when it is a digest). */
async function fetchVerified(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
): Promise<FetchedManifest | undefined> {
  const fetched = await fetchManifest(session, call, reference);
  if (!fetched) return undefined;
  const expected = isDigest(reference) ? reference : (fetched.claimedDigest ?? fetched.digest);
  assertManifestDigest(session, call, reference, fetched, expected);
  return fetched;
}
