import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as createPack, type Header, type Pack } from 'tar-stream';
import { isCutoverError } from '../../core/errors.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE, type BlobDescriptor } from '../../ports/release.js';
import { blobsDir } from '../../lib/oci/digest.js';
import { tempPathFor } from '../registry/layout/atomic-write.js';
import { commitBlob } from '../registry/layout/blob-store.js';
import { HashingStream } from '../registry/layout/hashing-stream.js';
import { walkSourceTree, type TreeEntry } from './walk-tree.js';

/** Where the files land in the image; the config's WorkingDir. */
export const APP_DIR = 'app';
/** Fixed so the same tar always compresses to the same bytes with this zlib. */
const GZIP_LEVEL = 6;
const EPOCH = new Date(0);

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;
type EntrySink = ReturnType<Pack['entry']>;

export interface WrittenLayer {
  layer: BlobDescriptor;
  /** sha256 of the uncompressed tar, the config's `rootfs.diff_ids` entry. */
  diffId: string;
}

/**
 * Packs `root` under `dir` (`app`, or `srv/app` for the image path `/srv/app`) as one gzip layer, streamed straight to a temp blob while both the
 * compressed digest and the diff_id are computed, so memory stays flat whatever the file sizes.
 * Everything that varies between machines (mtimes, owners, umask) is normalised away.
 */
export async function writeLayer(root: string, layoutDir: string, dir = APP_DIR): Promise<WrittenLayer> {
  const tmp = tempPathFor(join(blobsDir(layoutDir), 'layer'));
  const tar = createPack();
  const diff = new HashingStream();
  const blob = new HashingStream();
  const sink = pipeline(
    Readable.from(tar),
    diff,
    createGzip({ level: GZIP_LEVEL }),
    blob,
    createWriteStream(tmp, { flags: 'wx', flush: true }),
  );
  const produce = fillTar(tar, root, dir).catch((err: unknown) => {
    tar.destroy(err as Error);
    throw err;
  });
  const [produced, sunk] = await Promise.allSettled([produce, sink]);
  if (produced.status === 'rejected' || sunk.status === 'rejected') {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw pickCause(produced, sunk);
  }
  await commitBlob(tmp, layoutDir, blob.digest);
  return {
    layer: { mediaType: OCI_LAYER_GZIP_MEDIA_TYPE, digest: blob.digest, size: blob.size },
    diffId: diff.digest,
  };
}

/**
 * A refusal found while walking the tree (escape, fifo) explains the failure best; otherwise the
 * sink's I/O error is the cause and the producer's error is only its echo (a destroyed tar).
 */
function pickCause(produced: PromiseSettledResult<void>, sunk: PromiseSettledResult<void>): unknown {
  if (produced.status === 'rejected' && (isCutoverError(produced.reason) || sunk.status === 'fulfilled'))
    return produced.reason;
  return sunk.status === 'rejected' ? sunk.reason : (produced as PromiseRejectedResult).reason;
}

async function fillTar(tar: Pack, root: string, dir: string): Promise<void> {
  // The directories above `dir` come first, as in any tar of that tree.
  const parts = dir.split('/');
  for (let n = 1; n < parts.length; n++)
    await addEntry(tar, { kind: 'directory', path: '' }, parts.slice(0, n).join('/'));
  await addEntry(tar, { kind: 'directory', path: '' }, dir);
  for await (const entry of walkSourceTree(root)) await addEntry(tar, entry, dir);
  tar.finalize();
}

function addEntry(tar: Pack, entry: TreeEntry, dir: string): Promise<void> {
  const name = entry.path === '' ? `${dir}/` : `${dir}/${entry.path}`;
  const base = { mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };
  switch (entry.kind) {
    case 'directory':
      return addVoidEntry(tar, {
        ...base,
        name: name.endsWith('/') ? name : `${name}/`,
        type: 'directory',
        mode: 0o755,
      });
    case 'symlink':
      return addVoidEntry(tar, { ...base, name, type: 'symlink', mode: 0o777, linkname: entry.target });
    case 'file':
      return addFileEntry(
        tar,
        { ...base, name, type: 'file', mode: entry.executable ? 0o755 : 0o644, size: entry.size },
        entry.absPath,
      );
  }
}

function addVoidEntry(tar: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry(header, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Streams the file into its entry with backpressure. Only the size seen by lstat is read, so a
 * file that grows meanwhile cannot overflow its entry; one that shrinks fails the entry's size check.
 */
async function addFileEntry(tar: Pack, header: EntryHeader, absPath: string): Promise<void> {
  let settle!: (err?: Error | null) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(new Error(`${absPath}: ${err.message}`)) : resolve());
  });
  // Created outside the promise so that a tar already torn down by a failed sink throws here.
  const entry = tar.entry(header, settle);
  if (header.size) {
    try {
      for await (const chunk of createReadStream(absPath, { start: 0, end: header.size - 1 })) {
        if (!entry.write(chunk as Buffer)) await waitForDrain(entry);
      }
    } catch (err) {
      entry.destroy(err as Error);
      await done.catch(() => undefined);
      throw err;
    }
  }
  entry.end(null);
  return done;
}

function waitForDrain(stream: EntrySink): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed || stream.destroying)
      return reject(new Error('tar entry closed before it was written'));
    const cleanup = (): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = (): void => (cleanup(), resolve());
    const onError = (err: Error): void => (cleanup(), reject(err));
    const onClose = (): void => (cleanup(), reject(new Error('tar entry closed before it was written')));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
