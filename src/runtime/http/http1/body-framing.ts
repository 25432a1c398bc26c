import { ChunkedScanner } from './chunked-scanner.js';
import { CHUNKED, UNTIL_CLOSE } from './request-head.js';

export { MALFORMED } from './chunked-scanner.js';

/**
 * Where a message body ends, for each framing: content-length counts down, chunked is scanned,
 * close-delimited never ends here. One per connection direction, reset for each message.
 */
export class BodyFraming {
  private left = 0;
  private readonly chunks = new ChunkedScanner();

  /** @param body CHUNKED, UNTIL_CLOSE or a content-length */
  reset(body: number): void {
    this.left = body;
    if (body === CHUNKED) this.chunks.reset();
  }

  get untilClose(): boolean {
    return this.left === UNTIL_CLOSE;
  }

  /** Offset just past the body's end in `buf` (scanning from `at`), -1 when it goes on, or MALFORMED. */
  scan(buf: Buffer, at: number): number {
    if (this.left === UNTIL_CLOSE) return -1;
    if (this.left === CHUNKED) return this.chunks.scan(buf, at);
    const n = Math.min(this.left, buf.length - at);
    this.left -= n;
    return this.left === 0 ? at + n : -1;
  }
}
