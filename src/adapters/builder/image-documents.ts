import type { Changeset } from '../../core/schema/changeset.js';
import { HEALTH_PATH_LABEL, OCI_MANIFEST_MEDIA_TYPE, type BlobDescriptor } from '../../ports/release.js';
import { compareBytes } from '../registry/layout/index-json.js';

export const VERSION_LABEL = 'org.opencontainers.image.version';
export const REVISION_LABEL = 'org.opencontainers.image.revision';

/** Node's `process.arch` names where they differ from the GOARCH names OCI uses. */
const OCI_ARCHITECTURES: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

export function mapArchitecture(nodeArch: string): string {
  return OCI_ARCHITECTURES[nodeArch] ?? nodeArch;
}

/**
 * The OCI image config. Keys are written in a fixed order and there is no `created` field, so the
 * config, and with it the manifest digest, depends only on the changeset's run spec and the files.
 */
export function encodeImageConfig(
  changeset: Changeset,
  diffIds: string[],
  nodeArch: string = process.arch,
): Buffer {
  const env = Object.entries(changeset.run.env)
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([key, value]) => `${key}=${value}`);
  const config = {
    architecture: mapArchitecture(nodeArch),
    os: 'linux',
    config: {
      Cmd: changeset.run.command,
      Env: env,
      WorkingDir: '/app',
      Labels: {
        [HEALTH_PATH_LABEL]: changeset.run.health_path,
        [VERSION_LABEL]: changeset.version,
        [REVISION_LABEL]: changeset.commit,
      },
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  return Buffer.from(JSON.stringify(config), 'utf8');
}

/** The image manifest: schema 2, the config and the layers in order, and annotations if any. */
export function encodeImageManifest(
  config: BlobDescriptor,
  layers: BlobDescriptor[],
  annotations?: Record<string, string>,
): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: describe(config),
    layers: layers.map(describe),
    ...(annotations ? { annotations } : {}),
  };
  return Buffer.from(JSON.stringify(manifest), 'utf8');
}

/** Exactly the three descriptor fields, in this order, whatever else the object carries. */
function describe(blob: BlobDescriptor): BlobDescriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size };
}
