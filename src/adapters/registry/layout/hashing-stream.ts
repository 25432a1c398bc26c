import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * A pass-through that hashes and counts what flows through it, so a blob's digest is known the
 * moment it has been written, without reading it back and without holding it in memory.
 */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private cached: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** Valid once the stream has finished; a Hash can be digested only once, hence the cache. */
  get digest(): string {
    this.cached ??= `sha256:${this.hash.digest('hex')}`;
    return this.cached;
  }

  get size(): number {
    return this.bytes;
  }
}

/** Digest and size of a file, read as a stream in constant memory. */
export async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
