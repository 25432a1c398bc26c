import type { Changeset } from '../../core/schema/changeset.js';
import { HEALTH_PATH_LABEL } from '../../ports/release.js';
import { compareBytes } from '../registry/layout/index-json.js';
import { REVISION_LABEL, VERSION_LABEL } from './image-documents.js';

export const CREATED_LABEL = 'org.opencontainers.image.created';
export const SOURCE_LABEL = 'org.opencontainers.image.source';
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
export const BASE_DIGEST_LABEL = 'org.opencontainers.image.base.digest';

/** What the app's image says about itself beside the base's config. */
export interface AppendSpec {
  /** WorkingDir, where the app's layer puts the files: `/app` */
  workdir: string;
  /** the port the app listens on: `PORT` in Env and `<port>/tcp` in ExposedPorts */
  port: number;
  /** RFC 3339, from SOURCE_DATE_EPOCH or 1970: never the time of the build */
  created: string;
  /** the base reference as the changeset writes it, and the digest of its manifest */
  baseName: string;
  baseDigest: string;
}

/** The parts of an OCI image config that are read here; the rest is carried over as it is. */
export interface ImageConfigDocument {
  config?: {
    Env?: string[] | null;
    ExposedPorts?: Record<string, object> | null;
    Labels?: Record<string, string> | null;
  };
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: unknown[];
  [key: string]: unknown;
}

/**
 * The OCI annotations (and config labels) of a runnable image: version, revision (the commit),
 * created, source when the changeset gives `build.source_url`, and the base when cutover knows it.
 */
export function imageAnnotations(
  changeset: Changeset,
  spec: Pick<AppendSpec, 'created'> & Partial<Pick<AppendSpec, 'baseName' | 'baseDigest'>>,
): Record<string, string> {
  return {
    [VERSION_LABEL]: changeset.version,
    [REVISION_LABEL]: changeset.commit,
    [CREATED_LABEL]: spec.created,
    ...(changeset.build?.source_url ? { [SOURCE_LABEL]: changeset.build.source_url } : {}),
    ...(spec.baseName !== undefined ? { [BASE_NAME_LABEL]: spec.baseName } : {}),
    ...(spec.baseDigest !== undefined ? { [BASE_DIGEST_LABEL]: spec.baseDigest } : {}),
  };
}

/**
 * The base's config with the app on top, as `crane append` plus `crane mutate` would make it: the
 * base's platform, User, Entrypoint and Env are kept, Cmd is `run.command`, and the app's layer,
 * its history entry, labels, WorkingDir and port are added. Everything else is the base's, in the
 * base's order, so the same base and the same app give the same bytes.
 */
export function encodeAppendedConfig(
  base: ImageConfigDocument,
  changeset: Changeset,
  diffId: string,
  spec: AppendSpec,
): Buffer {
  const inherited = base.config ?? {};
  const env = new Map<string, string>();
  for (const line of inherited.Env ?? []) env.set(line.split('=', 1)[0]!, line);
  env.set('PORT', `PORT=${spec.port}`);
  for (const [key, value] of Object.entries(changeset.run.env).sort(([a], [b]) => compareBytes(a, b)))
    env.set(key, `${key}=${value}`);
  const config = {
    ...base,
    created: spec.created,
    config: {
      ...inherited,
      Env: [...env.values()],
      Cmd: changeset.run.command,
      WorkingDir: spec.workdir,
      ExposedPorts: { ...inherited.ExposedPorts, [`${spec.port}/tcp`]: {} },
      Labels: {
        ...inherited.Labels,
        ...imageAnnotations(changeset, spec),
        [HEALTH_PATH_LABEL]: changeset.run.health_path,
      },
    },
    rootfs: { type: 'layers', diff_ids: [...(base.rootfs?.diff_ids ?? []), diffId] },
    ...(Array.isArray(base.history)
      ? {
          history: [
            ...base.history,
            {
              created: spec.created,
              created_by: `cutover: ${changeset.service} ${changeset.version} in ${spec.workdir}`,
            },
          ],
        }
      : {}),
  };
  return Buffer.from(JSON.stringify(config), 'utf8');
}
