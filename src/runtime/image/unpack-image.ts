import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { x as extractTar, type ReadEntry } from 'tar';
import { CutoverError } from '../../core/errors.js';
import { blobPath } from '../../lib/oci/digest.js';
import type { BlobDescriptor } from '../../ports/release.js';

const unpacking = new Map<string, Promise<string>>();

/**
 * Unpacks an image's layers into `<imagesDir>/<manifest hex>/rootfs`, once per digest: the
 * rootfs is built in a temp dir and renamed into place, so a half-extracted image is never used.
 */
export function unpackImage(
  layoutDir: string,
  manifestDigest: string,
  layers: BlobDescriptor[],
  imagesDir: string,
): Promise<string> {
  const imageDir = join(imagesDir, manifestDigest.replace(/^sha256:/, ''));
  let pending = unpacking.get(imageDir);
  if (!pending) {
    pending = unpackOnce(layoutDir, layers, imageDir).finally(() => unpacking.delete(imageDir));
    unpacking.set(imageDir, pending);
  }
  return pending;
}

async function unpackOnce(layoutDir: string, layers: BlobDescriptor[], imageDir: string): Promise<string> {
  const rootfs = join(imageDir, 'rootfs');
  if (await exists(rootfs)) return rootfs;
  const tmp = join(imageDir, `rootfs.${process.pid}.${Date.now()}.tmp`);
  await mkdir(tmp, { recursive: true });
  try {
    for (const layer of layers) await extractLayer(layoutDir, layer, tmp);
    await rename(tmp, rootfs);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return rootfs;
}

async function extractLayer(layoutDir: string, layer: BlobDescriptor, rootfs: string): Promise<void> {
  const file = blobPath(layoutDir, layer.digest, 'E_INVALID_INPUT');
  // Verified before extraction so that bytes nobody vouched for never reach the disk.
  await verifyBlobStream(file, layer.digest);
  const unsafe: string[] = [];
  await extractTar({
    file,
    cwd: rootfs,
    preserveOwner: false,
    filter: (path, entry) => admitEntry(rootfs, path, entry as ReadEntry, unsafe),
  });
  if (unsafe.length > 0) {
    throw new CutoverError('E_APPLY_FAILED', `layer ${layer.digest} has unsafe paths: ${unsafe.join(', ')}`, {
      digest: layer.digest,
      paths: unsafe,
    });
  }
}

/** Refuses paths that escape the rootfs and applies OCI whiteouts to what earlier layers wrote. */
function admitEntry(rootfs: string, path: string, entry: ReadEntry, unsafe: string[]): boolean {
  const linkpath = entry.type === 'Link' ? (entry.linkpath ?? '') : '';
  if (isEscaping(path) || isEscaping(linkpath)) {
    unsafe.push(path);
    return false;
  }
  const name = basename(path);
  if (!name.startsWith('.wh.')) return true;
  const dir = join(rootfs, dirname(path));
  if (name === '.wh..wh..opq') {
    rmSync(dir, { recursive: true, force: true });
  } else {
    rmSync(join(dir, name.slice('.wh.'.length)), { recursive: true, force: true });
  }
  return false;
}

function isEscaping(path: string): boolean {
  return path.startsWith('/') || path.split(/[\\/]/).includes('..');
}

async function verifyBlobStream(file: string, digest: string): Promise<void> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new CutoverError('E_NOT_FOUND', `layer blob ${digest} is missing (${file})`, { digest }, err);
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) {
    throw new CutoverError('E_DIGEST_MISMATCH', `layer ${digest} hashes to ${actual}`, {
      expected: digest,
      actual,
    });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
