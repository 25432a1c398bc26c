/** A built, content-addressed image: where its blobs are on disk and what they are. */
export interface BlobDescriptor {
  mediaType: string;
  /** `sha256:<64 hex>` */
  digest: string;
  /** bytes */
  size: number;
}

/**
 * An image as an OCI image layout directory on local disk (`oci-layout`, `index.json`,
 * `blobs/sha256/…`). The manifest, config and every layer are blobs of that layout.
 */
export interface LocalImage {
  layoutDir: string;
  manifest: BlobDescriptor;
  config: BlobDescriptor;
  layers: BlobDescriptor[];
  /** Layers whose bytes are not in `layoutDir` but stay in a registry: a base image's. */
  remote?: RemoteBlobs;
}

/**
 * Blobs an image references that live in a registry repository instead of the image's layout, as
 * `crane append` leaves a base image's layers where they are: a push takes them registry-side.
 */
export interface RemoteBlobs {
  /** `Registry.describe(repository)` of the registry that holds them */
  location: string;
  repository: string;
  digests: string[];
}

/** The platform an image index is resolved for (OCI names: `linux`, `amd64`, `v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What an image becomes once pushed; a core type (core/model/release.ts), beside the image types. */
export type { ReleaseRef } from '../core/model/release.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** Image config label carrying the changeset's `run.health_path`. */
export const HEALTH_PATH_LABEL = 'io.cutover.health-path';
