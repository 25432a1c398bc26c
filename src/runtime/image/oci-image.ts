import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { readVerifiedBlob, type VerifiedBlobCodes } from '../../lib/oci/verified-blob.js';
import { HEALTH_PATH_LABEL, type BlobDescriptor } from '../../ports/release.js';

/** How to run an image, from its config blob. */
export interface ImageRunSpec {
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  healthPath: string;
  layers: BlobDescriptor[];
  /** the image's id in podman's storage */
  configDigest: string;
}

interface OciIndex {
  manifests?: Array<{ digest?: string }>;
}

interface OciManifest {
  config?: BlobDescriptor;
  layers?: BlobDescriptor[];
}

interface OciConfig {
  config?: {
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  };
}

// Digests come from the admin API's caller and from the manifest: a malformed one is bad input.
const CODES: VerifiedBlobCodes = { invalid: 'E_INVALID_INPUT' };

/** Reads index.json, the manifest named by `digest` and its config, verifying each blob's sha256. */
export async function readImageRunSpec(layoutDir: string, digest: string): Promise<ImageRunSpec> {
  const index = await readJson<OciIndex>(join(layoutDir, 'index.json'), layoutDir);
  if (!index.manifests?.some((m) => m.digest === digest)) {
    throw new CutoverError('E_NOT_FOUND', `manifest ${digest} is not in ${layoutDir}/index.json`, {
      layoutDir,
      digest,
    });
  }
  const manifest = JSON.parse(
    (await readVerifiedBlob(layoutDir, digest, CODES)).toString('utf8'),
  ) as OciManifest;
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) {
    throw new CutoverError('E_APPLY_FAILED', `manifest ${digest} has no config or layers`, { digest });
  }
  const configBlob = await readVerifiedBlob(layoutDir, manifest.config.digest, CODES);
  const config = (JSON.parse(configBlob.toString('utf8')) as OciConfig).config ?? {};
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (argv.length === 0) {
    throw new CutoverError('E_APPLY_FAILED', `image ${digest} has neither Entrypoint nor Cmd`, { digest });
  }
  return {
    argv,
    env: parseEnv(config.Env ?? []),
    workingDir: config.WorkingDir || '/',
    healthPath: config.Labels?.[HEALTH_PATH_LABEL] || '/health',
    layers: manifest.layers,
    configDigest: manifest.config.digest,
  };
}

function parseEnv(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

async function readJson<T>(path: string, layoutDir: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    throw new CutoverError('E_NOT_FOUND', `${layoutDir} is not an OCI image layout (${path})`, {}, err);
  }
}
