import { CutoverError } from '../../../core/errors.js';
import { OCI_INDEX_MEDIA_TYPE, type ReleaseRef } from '../../../ports/release.js';
import { ensureLayout, hasBlob, writeBlobBytes } from '../layout/blob-store.js';
import { bindTag } from '../layout/tag-binding.js';
import { repositoryScope } from './auth-challenge.js';
import { downloadBlob } from './blob-download.js';
import { assertDigest, shortDigest } from './blob-path.js';
import { fetchManifest, type ManifestCall } from './manifest-client.js';
import { assertManifestDigest } from './publish-tag.js';
import type { RegistrySession } from './registry-session.js';
import type { RetryPolicy } from './retry-policy.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

interface ManifestDocument {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/**
 * Downloads a release by digest into the OCI layout `cacheDir` (blobs shared between releases),
 * verifying each blob while it streams, and records the tag in the layout's index.json.
 * A manifest is written after everything it references, so a manifest in the cache means the
 * whole image is there.
 */
export async function pullImage(
  session: RegistrySession,
  retry: RetryPolicy,
  release: ReleaseRef,
  cacheDir: string,
): Promise<string> {
  assertDigest(release.digest);
  const call: ManifestCall = {
    repository: release.repository,
    scopes: [repositoryScope(release.repository, 'pull')],
    action: `pulling ${release.repository}:${release.tag}`,
    code: 'E_APPLY_FAILED',
  };
  await ensureLayout(cacheDir);
  await session.ping(call.scopes, call.action, call.code);
  const root = await pullManifest(session, retry, call, release.digest, cacheDir, 0);
  // The cache follows the registry: its tag may point elsewhere after a registry-side re-push.
  await bindTag(
    cacheDir,
    { mediaType: root.mediaType, digest: release.digest, size: root.size },
    release.tag,
    { onConflict: 'replace', code: 'E_APPLY_FAILED' },
  );
  return cacheDir;
}

async function pullManifest(
  session: RegistrySession,
  retry: RetryPolicy,
  call: ManifestCall,
  digest: string,
  cacheDir: string,
  depth: number,
): Promise<{ mediaType: string; size: number }> {
  const fetched = await fetchManifest(session, call, digest);
  if (!fetched) {
    throw new CutoverError(
      'E_APPLY_FAILED',
      `release ${call.repository}@${shortDigest(digest)} not found at ${session.baseUrl}`,
      {
        registry: session.baseUrl,
        repository: call.repository,
        digest,
      },
    );
  }
  assertManifestDigest(session, call, digest, fetched, digest);
  const document = JSON.parse(fetched.bytes.toString('utf8')) as ManifestDocument;
  const mediaType = document.mediaType ?? fetched.mediaType;
  if (mediaType === OCI_INDEX_MEDIA_TYPE || document.manifests) {
    // One level of index (multi-platform images) is all an image needs; deeper is refused.
    if (depth > 1)
      throw new CutoverError('E_APPLY_FAILED', `manifest ${shortDigest(digest)} nests indexes too deeply`, {
        digest,
      });
    for (const child of document.manifests ?? [])
      await pullManifest(session, retry, call, child.digest, cacheDir, depth + 1);
  } else {
    for (const blob of [document.config, ...(document.layers ?? [])]) {
      if (blob) await pullBlob(session, retry, call, blob, cacheDir);
    }
  }
  await writeBlobBytes(cacheDir, fetched.bytes, mediaType);
  return { mediaType, size: fetched.bytes.length };
}

async function pullBlob(
  session: RegistrySession,
  retry: RetryPolicy,
  call: ManifestCall,
  blob: Descriptor,
  cacheDir: string,
): Promise<void> {
  // Files get their final name only after their digest is proven, so presence is proof.
  if (await hasBlob(cacheDir, blob.digest)) return;
  await downloadBlob(session, call, { digest: blob.digest, size: blob.size }, retry, cacheDir);
}
