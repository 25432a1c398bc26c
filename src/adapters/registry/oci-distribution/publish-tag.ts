import { CutoverError } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { shortDigest } from './blob-path.js';
import {
  deleteManifest,
  fetchManifest,
  putManifest,
  type FetchedManifest,
  type ManifestCall,
} from './manifest-client.js';
import type { RegistrySession } from './registry-session.js';

/**
 * Binds `tag` to the manifest and proves it: the registry must report the same digest for what it
 * stored, and what it then serves under the tag must hash to it. If the registry stored other
 * bytes (changed on the way), the manifest it made is deleted so the tag does not stay published.
 */
export async function publishTag(
  session: RegistrySession,
  call: ManifestCall,
  tag: string,
  bytes: Buffer,
  manifest: BlobDescriptor,
): Promise<void> {
  const stored = await putManifest(session, call, tag, bytes, manifest.mediaType);
  if (stored !== undefined && stored !== manifest.digest) {
    const unpublished = await deleteManifest(session, call, stored).catch(() => false);
    throw new CutoverError(
      'E_DIGEST_MISMATCH',
      `registry ${session.baseUrl}/${call.repository} stored ${shortDigest(stored)} for tag ${tag}, expected ${shortDigest(manifest.digest)}${unpublished ? ' (tag removed again)' : ''}`,
      {
        registry: session.baseUrl,
        repository: call.repository,
        tag,
        expected: manifest.digest,
        actual: stored,
        unpublished,
      },
    );
  }
  await verifyServedManifest(session, call, tag, manifest.digest);
}

/** Re-hashes the manifest the registry serves for `reference`. */
export async function verifyServedManifest(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
  expected: string,
): Promise<void> {
  const fetched = await fetchManifest(session, call, reference);
  assertManifestDigest(session, call, reference, fetched, expected);
}

/** Fails unless what the registry serves hashes to `expected`. */
export function assertManifestDigest(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
  fetched: FetchedManifest | undefined,
  expected: string,
): void {
  const actual = fetched?.digest;
  if (actual === expected && (fetched?.claimedDigest === undefined || fetched.claimedDigest === expected))
    return;
  const served = actual
    ? `serves ${shortDigest(actual)}${fetched?.claimedDigest && fetched.claimedDigest !== actual ? ` (claims ${shortDigest(fetched.claimedDigest)})` : ''}`
    : 'serves nothing';
  throw new CutoverError(
    'E_DIGEST_MISMATCH',
    `registry ${session.baseUrl}/${call.repository}:${reference} ${served}, expected ${shortDigest(expected)}`,
    {
      registry: session.baseUrl,
      repository: call.repository,
      reference,
      expected,
      actual: actual ?? null,
      claimed: fetched?.claimedDigest ?? null,
    },
  );
}
