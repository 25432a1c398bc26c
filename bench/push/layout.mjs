// The bench image: one gzip layer of random bytes (incompressible, like a real app layer),
// written once as an OCI layout in the temp dir and reused by every later run.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Buffer } from 'node:buffer';
import { createGzip } from 'node:zlib';

const MiB = 1024 * 1024;

/** Returns `{dir, image}` where `image` is a LocalImage (layoutDir, manifest, config, layers). */
export async function prepareLayout(mib) {
  const dir = join(tmpdir(), `cutover-bench-push-${mib}`);
  const imagePath = join(dir, 'image.json');
  if (existsSync(imagePath)) return { dir, imagePath, image: JSON.parse(readFileSync(imagePath, 'utf8')) };
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const raw = join(dir, 'layer.partial');
  await pipeline(randomStream(mib * MiB), createGzip({ level: 1 }), createWriteStream(raw));
  const layer = await storeFile(dir, raw, 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = storeBytes(
    dir,
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
    'application/vnd.oci.image.config.v1+json',
  );
  const manifest = storeBytes(
    dir,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [layer],
    }),
    'application/vnd.oci.image.manifest.v1+json',
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }],
    }),
  );
  const image = { layoutDir: dir, manifest, config, layers: [layer] };
  writeFileSync(imagePath, JSON.stringify(image));
  return { dir, imagePath, image };
}

function randomStream(bytes) {
  let left = bytes;
  return Readable.from(
    (function* () {
      while (left > 0) {
        const n = Math.min(left, MiB);
        left -= n;
        yield randomBytes(n);
      }
    })(),
  );
}

async function storeFile(dir, path, mediaType) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  const hex = hash.digest('hex');
  execFileSync('mv', [path, join(dir, 'blobs', 'sha256', hex)]);
  return { mediaType, digest: `sha256:${hex}`, size: statSync(join(dir, 'blobs', 'sha256', hex)).size };
}

function storeBytes(dir, text, mediaType) {
  const hex = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', hex), text);
  return { mediaType, digest: `sha256:${hex}`, size: Buffer.byteLength(text) };
}
