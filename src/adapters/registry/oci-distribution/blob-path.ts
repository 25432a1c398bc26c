import { assertDigest, blobPath, shortDigest } from '../../../lib/oci/digest.js';

export { assertDigest, shortDigest };

/** Path of a blob inside an OCI layout; refuses anything but a well-formed sha256 digest. */
export function resolveBlobPath(layoutDir: string, digest: string): string {
  return blobPath(layoutDir, digest);
}

/** Adds `digest=` to an upload URL, keeping its `_state` parameter byte for byte. */
export function appendDigestParam(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** Path of a repository's API, e.g. `/v2/team/api-orders/blobs/…`; names are already validated. */
export function repositoryPath(repository: string, rest: string): string {
  return `/v2/${repository}/${rest}`;
}
