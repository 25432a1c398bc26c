/**
 * The bytes a connection received and has not acted on yet (a head arriving in pieces, requests
 * pipelined behind the one in flight). Appending copies into spare room that doubles as needed,
 * so a head trickled in one byte per read costs O(n) in all, not a fresh O(n) copy per read; and
 * `scanned` remembers how far the head was already searched, so each read searches only new bytes.
 */
export class PendingBytes {
  /** the bytes, or null when there are none */
  bytes: Buffer | null = null;
  /** how many leading bytes of `bytes` were searched for a head's end without finding it */
  scanned = 0;
  private store: Buffer | null = null;

  append(more: Buffer): void {
    const held = this.bytes;
    if (held === null) {
      this.bytes = more;
      return;
    }
    const need = held.length + more.length;
    const inStore =
      this.store !== null && held.buffer === this.store.buffer && held.byteOffset === this.store.byteOffset;
    if (!inStore || (this.store as Buffer).length < need) {
      const store = Buffer.allocUnsafe(Math.max(need * 2, 1024));
      held.copy(store, 0);
      this.store = store;
    }
    const store = this.store as Buffer;
    more.copy(store, held.length);
    this.bytes = store.subarray(0, need);
  }

  /** Drops the first `count` bytes (a head, or a head and body, that was acted on). */
  consume(count: number): void {
    const held = this.bytes;
    this.bytes = held === null || count >= held.length ? null : held.subarray(count);
    this.scanned = 0;
  }

  clear(): void {
    this.bytes = null;
    this.scanned = 0;
    this.store = null;
  }
}
