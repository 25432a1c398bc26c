import { resolve } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { parseImageReference, type ImageReference } from '../../core/image-reference.js';
import { readVerifiedBlob } from '../../lib/oci/verified-blob.js';
import { writeRemoteBlobs } from '../../lib/oci/remote-blobs-file.js';
import type { BuildRequest } from '../../ports/builder.js';
import {
  OCI_CONFIG_MEDIA_TYPE,
  OCI_LAYER_GZIP_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type BlobDescriptor,
  type LocalImage,
} from '../../ports/release.js';
import { ensureLayout, writeBlobBytes } from '../registry/layout/blob-store.js';
import { bindTag } from '../registry/layout/tag-binding.js';
import { encodeAppendedConfig, imageAnnotations, type ImageConfigDocument } from './base-config.js';
import { locateBase, type BuildRegistries } from './base-source.js';
import { prepareSource, type DirectoryBuilderOptions } from './directory-image.js';
import { encodeImageManifest, mapArchitecture } from './image-documents.js';
import { writeLayer } from './write-layer.js';

export const DEFAULT_WORKDIR = '/app';
export const DEFAULT_PORT = 8080;

export interface BaseImageOptions extends DirectoryBuilderOptions {
  registries?: BuildRegistries;
  nodeArch?: string;
}

/** Docker's layer types and the OCI types that mean the same bytes. */
const OCI_LAYER_TYPES: Record<string, string> = {
  'application/vnd.docker.image.rootfs.diff.tar.gzip': OCI_LAYER_GZIP_MEDIA_TYPE,
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip':
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};

/**
 * `build: { base }`: the app's files as one layer on top of a base image, daemonless, like
 * `crane append`. Only the base's manifest and config are read; its layers stay in its registry
 * when that is the environment's own (the push mounts them), and are copied otherwise.
 */
export async function buildOnBase(request: BuildRequest, options: BaseImageOptions): Promise<LocalImage> {
  const { changeset, baseDir, workDir, tag } = request;
  const written = changeset.build!.base!;
  const ref = parseImageReference(written) as ImageReference;
  const root = await prepareSource(changeset, baseDir, options);
  const layoutDir = resolve(workDir);
  await ensureLayout(layoutDir);
  const source = locateBase(ref, request.environment, options.registries, written);
  let base: LocalImage | undefined;
  try {
    base = await source.registry.readImage(source.repository, source.reference, layoutDir, {
      platform: { os: 'linux', architecture: mapArchitecture(options.nodeArch ?? process.arch) },
      copyLayers: !source.pushedTo,
    });
  } finally {
    await source.dispose?.();
  }
  if (!base) {
    throw new CutoverError(
      'E_BUILD_FAILED',
      `base image ${written} not found: no ${source.reference} in ${source.registry.describe(source.repository)}`,
      { base: written },
    );
  }
  const baseConfig = JSON.parse(
    (await readVerifiedBlob(layoutDir, base.config.digest, { missing: 'E_BUILD_FAILED' })).toString('utf8'),
  ) as ImageConfigDocument;
  const workdir = changeset.build!.workdir ?? DEFAULT_WORKDIR;
  const { layer, diffId } = await writeLayer(root, layoutDir, workdir.slice(1));
  const spec = {
    workdir,
    port: changeset.build!.port ?? DEFAULT_PORT,
    created: createdAt(options.env ?? process.env),
    baseName: written,
    baseDigest: base.manifest.digest,
  };
  const config = await writeBlobBytes(
    layoutDir,
    encodeAppendedConfig(baseConfig, changeset, diffId, spec),
    OCI_CONFIG_MEDIA_TYPE,
  );
  const layers: BlobDescriptor[] = [...base.layers.map(toOciLayer), layer];
  const manifest = await writeBlobBytes(
    layoutDir,
    encodeImageManifest(config, layers, imageAnnotations(changeset, spec)),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  if (base.remote) await writeRemoteBlobs(layoutDir, manifest.digest, base.remote);
  await bindTag(layoutDir, manifest, tag, { onConflict: 'replace', code: 'E_BUILD_FAILED' });
  return { layoutDir, manifest, config, layers, ...(base.remote ? { remote: base.remote } : {}) };
}

/**
 * The image's creation time: SOURCE_DATE_EPOCH (reproducible-builds.org's convention for "the
 * time of the last change", e.g. the commit's) when set, else 1970, never the clock.
 */
export function createdAt(env: NodeJS.ProcessEnv): string {
  const epoch = Number(env.SOURCE_DATE_EPOCH ?? '0');
  const seconds = Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : 0;
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A base's layer descriptor under its OCI media type, the bytes and digest unchanged. */
export function toOciLayer(layer: BlobDescriptor): BlobDescriptor {
  return { ...layer, mediaType: OCI_LAYER_TYPES[layer.mediaType] ?? layer.mediaType };
}
