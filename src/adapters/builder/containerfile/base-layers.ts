import { parseImageReference, referenceOf } from '../../../core/image-reference.js';
import type { RegistryConfig } from '../../../core/schema/config.js';
import { readVerifiedBlob } from '../../../lib/oci/verified-blob.js';
import type { Registry } from '../../../ports/registry.js';
import type { BlobDescriptor, RemoteBlobs } from '../../../ports/release.js';
import { BASE_NAME_LABEL } from '../base-config.js';
import { toOciLayer } from '../base-image.js';
import { mapArchitecture } from '../image-documents.js';
import type { ExportedImage } from './import-layout.js';

/**
 * The base's own layer blobs when the exported image starts with exactly its layers (the same
 * diff_ids) and the base, named by podman's `base.name` annotation, is in the environment's
 * registry: podman recompresses them on export, so its blobs would be uploaded anew where the
 * base's can be mounted, as for `build.base`. Any doubt (another registry, a base gone or
 * changed since) means none: podman's blobs are then pushed as they are.
 */
export async function baseLayersInRegistry(
  exported: ExportedImage,
  layoutDir: string,
  own: { registry: Registry; config: RegistryConfig } | undefined,
): Promise<{ layers: BlobDescriptor[]; remote: RemoteBlobs } | undefined> {
  if (own?.config.type !== 'oci-distribution') return undefined;
  const ref = parseImageReference(exported.document.annotations?.[BASE_NAME_LABEL] ?? '');
  if (typeof ref === 'string' || ref.host !== new URL(own.config.url).host) return undefined;
  const base = await own.registry
    .readImage(ref.repository, referenceOf(ref), layoutDir, {
      platform: { os: 'linux', architecture: mapArchitecture(process.arch) },
      copyLayers: false,
    })
    .catch(() => undefined);
  if (!base?.remote || base.layers.length === 0) return undefined;
  const config = JSON.parse((await readVerifiedBlob(layoutDir, base.config.digest)).toString('utf8')) as {
    rootfs?: { diff_ids?: string[] };
  };
  const baseDiffIds = config.rootfs?.diff_ids ?? [];
  const same =
    baseDiffIds.length === base.layers.length && baseDiffIds.every((id, i) => exported.diffIds[i] === id);
  return same ? { layers: base.layers.map(toOciLayer), remote: base.remote } : undefined;
}
