import { CutoverError } from '../../core/errors.js';
import { isDigest } from '../../lib/oci/digest.js';
import { OCI_INDEX_MEDIA_TYPE, type BlobDescriptor, type Platform } from '../../ports/release.js';

const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

interface IndexEntry extends Partial<BlobDescriptor> {
  platform?: Partial<Platform>;
}

/**
 * The manifest an image index names for `platform`, or undefined when `bytes` are not an index
 * (an image manifest, read as is). A multi-platform base image is resolved the way `podman pull`
 * resolves it on this machine; an index without that platform is `E_BUILD_FAILED` naming the
 * platforms it has.
 */
export function selectPlatformManifest(
  bytes: Buffer,
  mediaType: string,
  platform: Platform,
  where: string,
): BlobDescriptor | undefined {
  const doc = parseJson(bytes, where) as { mediaType?: string; manifests?: unknown };
  const type = doc.mediaType ?? mediaType;
  if (type !== OCI_INDEX_MEDIA_TYPE && type !== DOCKER_MANIFEST_LIST && !Array.isArray(doc.manifests))
    return undefined;
  const entries = (Array.isArray(doc.manifests) ? doc.manifests : []) as IndexEntry[];
  const match = entries.find((e) => matches(e.platform, platform) && isDigest(e.digest));
  if (match) {
    return { mediaType: match.mediaType ?? '', digest: match.digest!, size: match.size ?? 0 };
  }
  const offered = entries.map((e) => describePlatform(e.platform)).join(', ') || 'none';
  throw new CutoverError(
    'E_BUILD_FAILED',
    `${where} has no image for ${describePlatform(platform)} (it has: ${offered})`,
    { where, platform: describePlatform(platform) },
  );
}

function matches(candidate: Partial<Platform> | undefined, wanted: Platform): boolean {
  if (candidate?.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  return (
    wanted.variant === undefined || candidate.variant === undefined || candidate.variant === wanted.variant
  );
}

export function describePlatform(platform: Partial<Platform> | undefined): string {
  if (!platform) return 'unknown';
  const base = `${platform.os ?? '?'}/${platform.architecture ?? '?'}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

function parseJson(bytes: Buffer, where: string): Record<string, unknown> {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // reported below, like a document that is not an object
  }
  throw new CutoverError('E_BUILD_FAILED', `${where} is not a JSON manifest`, { where });
}
