import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { ensureLayout, writeBlobBytes } from '../../src/adapters/registry/layout/blob-store.js';
import { HashingStream } from '../../src/adapters/registry/layout/hashing-stream.js';
import { bindTag } from '../../src/adapters/registry/layout/tag-binding.js';
import { createOciDistributionRegistry } from '../../src/adapters/registry/oci-distribution/index.js';
import { blobPath } from '../../src/lib/oci/digest.js';
import {
  OCI_CONFIG_MEDIA_TYPE,
  OCI_LAYER_GZIP_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type LocalImage,
} from '../../src/ports/release.js';

export const NODE_BASE_REPOSITORY = 'nodebase';
export const NODE_BASE_TAG = '20';
const NODE = '/usr/bin/node';

/**
 * A minimal Node base image (RECIPES "Containers": no base image can be downloaded here): the
 * host's /usr/bin/node and the libraries `ldd` lists, at their paths, in one gzip layer, `PATH`
 * set, no shell. Written once per machine and node binary as an OCI layout under the temp dir
 * (about 45 MB), so every test file of a run reuses it.
 */
export async function nodeBaseLayout(): Promise<LocalImage> {
  const info = await stat(NODE);
  const key = createHash('sha256').update(`${process.version} ${info.size} ${info.mtimeMs} v1`).digest('hex');
  const dir = join(tmpdir(), `cutover-test-nodebase-${key.slice(0, 16)}`);
  const marker = join(dir, 'image.json');
  const cached = await readFile(marker, 'utf8').catch(() => undefined);
  if (cached) return JSON.parse(cached) as LocalImage;
  // Built aside and renamed into place: two test files building at once both end with one copy.
  const work = `${dir}.${process.pid}.tmp`;
  await rm(work, { recursive: true, force: true });
  const image = await writeNodeBase(work);
  await rename(work, dir).catch(async () => rm(work, { recursive: true, force: true }));
  const placed = { ...image, layoutDir: dir };
  await writeFile(marker, JSON.stringify(placed));
  return placed;
}

/** Pushes the base to `url` as `nodebase:20` with cutover's own client; returns its reference. */
export async function pushNodeBase(url: string): Promise<string> {
  const image = await nodeBaseLayout();
  const registry = createOciDistributionRegistry(
    { type: 'oci-distribution', url, insecure: false, verify: 'digest' },
    {},
  );
  try {
    await registry.push(image, NODE_BASE_REPOSITORY, NODE_BASE_TAG);
  } finally {
    await registry.dispose?.();
  }
  return `${new URL(url).host}/${NODE_BASE_REPOSITORY}:${NODE_BASE_TAG}`;
}

async function writeNodeBase(layoutDir: string): Promise<LocalImage> {
  await ensureLayout(layoutDir);
  const files = [NODE, ...lddPaths()].sort();
  const tar = pack();
  const diff = new HashingStream();
  const blob = new HashingStream();
  const tmp = join(layoutDir, 'layer.tmp');
  const sink = pipeline(Readable.from(tar), diff, createGzip({ level: 1 }), blob, createWriteStream(tmp));
  const dirs = [...new Set(files.flatMap((f) => ancestors(f)))].sort();
  for (const d of dirs) tar.entry({ name: `${d}/`, type: 'directory', mode: 0o755, mtime: new Date(0) });
  for (const file of files) {
    const content = await readFile(file);
    tar.entry({ name: file.slice(1), mode: 0o755, mtime: new Date(0), size: content.length }, content);
  }
  tar.finalize();
  await sink;
  await rename(tmp, blobPath(layoutDir, blob.digest));
  const layer = { mediaType: OCI_LAYER_GZIP_MEDIA_TYPE, digest: blob.digest, size: blob.size };
  const configJson = {
    created: '1970-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
    rootfs: { type: 'layers', diff_ids: [diff.digest] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'test support: host node and its libraries' }],
  };
  const config = await writeBlobBytes(
    layoutDir,
    Buffer.from(JSON.stringify(configJson)),
    OCI_CONFIG_MEDIA_TYPE,
  );
  const manifestJson = { schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config, layers: [layer] };
  const manifest = await writeBlobBytes(
    layoutDir,
    Buffer.from(JSON.stringify(manifestJson)),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  await bindTag(layoutDir, manifest, NODE_BASE_TAG, { onConflict: 'replace', code: 'E_INTERNAL' });
  return { layoutDir, manifest, config, layers: [layer] };
}

/** The libraries `ldd /usr/bin/node` resolves, the dynamic loader included, as absolute paths. */
function lddPaths(): string[] {
  const out = execFileSync('ldd', [NODE], { encoding: 'utf8' });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

function ancestors(file: string): string[] {
  const out: string[] = [];
  for (let d = dirname(file); d !== '/'; d = dirname(d)) out.push(d.slice(1));
  return out;
}
