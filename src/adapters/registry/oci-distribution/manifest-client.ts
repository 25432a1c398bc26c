import { createHash } from 'node:crypto';
import { CutoverError, type ErrorCode } from '../../../core/errors.js';
import { OCI_INDEX_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE } from '../../../ports/release.js';
import { repositoryPath } from './blob-path.js';
import { firstHeader } from './registry-request.js';
import type { RegistrySession } from './registry-session.js';

/**
 * distribution 2.8 answers 404 MANIFEST_UNKNOWN, even by digest, to a client that does not
 * accept the manifest's type; Docker's types are listed so a tag pushed by docker still resolves.
 */
export const MANIFEST_ACCEPT = [
  OCI_MANIFEST_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** Manifests are small; a bigger answer is not a manifest and is not held in memory. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ManifestCall {
  repository: string;
  scopes: string[];
  action: string;
  code?: ErrorCode;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of the bytes received, recomputed here */
  digest: string;
  /** what the registry claims in Docker-Content-Digest */
  claimedDigest?: string;
}

/** Digest the registry binds to `reference` (a tag or a digest), or undefined when there is none. */
export async function headManifest(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
): Promise<string | undefined> {
  const res = await session.send({ ...manifestRequest(call, reference), method: 'HEAD', expect: [200, 404] });
  await res.body.dump();
  if (res.status === 404) return undefined;
  const claimed = firstHeader(res.headers['docker-content-digest']);
  // Registries may omit the header on HEAD; then the bytes themselves decide.
  return claimed ?? (await fetchManifest(session, call, reference))?.digest;
}

export async function fetchManifest(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
): Promise<FetchedManifest | undefined> {
  const res = await session.send({ ...manifestRequest(call, reference), method: 'GET', expect: [200, 404] });
  if (res.status === 404) {
    await res.body.dump();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of res.body) {
    length += (chunk as Buffer).length;
    if (length > MAX_MANIFEST_BYTES) {
      res.body.destroy();
      throw new CutoverError(
        call.code ?? 'E_PUSH_FAILED',
        `manifest ${reference} at ${session.baseUrl}/${call.repository} is larger than 4 MiB`,
        {
          registry: session.baseUrl,
          repository: call.repository,
        },
      );
    }
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  const mediaType = (firstHeader(res.headers['content-type']) ?? '').split(';')[0]?.trim() ?? '';
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { bytes, mediaType, digest, claimedDigest: firstHeader(res.headers['docker-content-digest']) };
}

/** PUTs the exact bytes that were hashed, with their exact media type; returns the digest the registry stored. */
export async function putManifest(
  session: RegistrySession,
  call: ManifestCall,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string | undefined> {
  const res = await session.send({
    ...manifestRequest(call, reference),
    method: 'PUT',
    headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
    body: () => bytes,
    expect: [201],
  });
  await res.body.dump();
  return firstHeader(res.headers['docker-content-digest']);
}

export async function deleteManifest(
  session: RegistrySession,
  call: ManifestCall,
  digest: string,
): Promise<boolean> {
  const res = await session.send({
    ...manifestRequest(call, digest),
    method: 'DELETE',
    expect: [202, 404, 405],
  });
  await res.body.dump();
  return res.status === 202;
}

function manifestRequest(call: ManifestCall, reference: string) {
  return {
    url: repositoryPath(call.repository, `manifests/${reference}`),
    scopes: call.scopes,
    headers: { accept: MANIFEST_ACCEPT },
    action: call.action,
    repository: call.repository,
    code: call.code,
  };
}
