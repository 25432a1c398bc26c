import { open } from 'node:fs/promises';

/** Buffers cycled through; see `readFileRange` for why two are enough and three are kept. */
const POOL_SIZE = 3;

/**
 * The bytes `start..end` (inclusive) of a file, as an async iterable request body that reuses a
 * few buffers instead of allocating one per read. A blob upload then allocates nothing per
 * chunk, which keeps both the garbage collector's work and the process's peak memory flat.
 *
 * Reuse is safe because undici writes an iterable body one chunk at a time and waits for the
 * socket to drain whenever a write is not taken at once: by the time a buffer comes round again
 * (three chunks later), the socket has finished with it. Should that ever not hold, the registry
 * would refuse the blob (DIGEST_INVALID), never store a wrong one.
 */
export function readFileRange(
  path: string,
  start: number,
  end: number,
  bufferSize: number,
): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      const file = await open(path, 'r');
      try {
        const pool = Array.from({ length: POOL_SIZE }, () => Buffer.allocUnsafeSlow(bufferSize));
        for (let position = start, turn = 0; position <= end; turn++) {
          const buffer = pool[turn % POOL_SIZE]!;
          const length = Math.min(bufferSize, end - position + 1);
          const { bytesRead } = await file.read(buffer, 0, length, position);
          if (bytesRead === 0) throw new Error(`${path} ended at byte ${position}, expected ${end + 1}`);
          position += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await file.close();
      }
    },
  };
}
