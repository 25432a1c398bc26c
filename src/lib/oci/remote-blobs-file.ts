import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { RemoteBlobs } from '../../ports/release.js';
import { assertDigest } from './digest.js';

/**
 * Which of a built image's layers stay in a registry (`LocalImage.remote`), kept beside the build
 * layout's blobs under the manifest's digest: BUILD and PUSH are separate steps, and a resumed
 * deploy re-opens the image from its layout by digest alone. Not part of the OCI layout; tools
 * reading the layout ignore it.
 */
function remoteFile(layoutDir: string, manifestDigest: string): string {
  assertDigest(manifestDigest);
  return join(layoutDir, 'cutover-remote-blobs', `${manifestDigest.slice('sha256:'.length)}.json`);
}

export async function writeRemoteBlobs(
  layoutDir: string,
  manifestDigest: string,
  remote: RemoteBlobs,
): Promise<void> {
  const path = remoteFile(layoutDir, manifestDigest);
  await mkdir(join(layoutDir, 'cutover-remote-blobs'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(remote));
  await rename(tmp, path);
}

/** The image's remote blobs, or undefined for an image whose layout holds every blob. */
export async function readRemoteBlobs(
  layoutDir: string,
  manifestDigest: string,
): Promise<RemoteBlobs | undefined> {
  const path = remoteFile(layoutDir, manifestDigest);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CutoverError('E_BUILD_FAILED', `cannot read ${path}: ${(err as Error).message}`, { path }, err);
  }
  let remote: RemoteBlobs | undefined;
  try {
    remote = JSON.parse(text) as RemoteBlobs;
  } catch {
    remote = undefined;
  }
  if (
    typeof remote?.location !== 'string' ||
    typeof remote.repository !== 'string' ||
    !Array.isArray(remote.digests)
  )
    throw new CutoverError('E_BUILD_FAILED', `${path} does not say where the base layers are`, { path });
  return remote;
}
