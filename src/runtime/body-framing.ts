import { CHUNKED, UNTIL_CLOSE } from './request-head.js';

const enum State {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  EndLf,
  Done,
}

const CR = 13;
const LF = 10;
export const MALFORMED = -2;

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

/**
 * Finds where a chunked body ends without decoding it: the fast path passes the chunks through
 * byte for byte and only needs to know when the message is over (to reuse the connection and
 * to time the request). Sizes are read, data is skipped by counting.
 */
export class ChunkedScanner {
  private state = State.Size;
  private size = 0;
  private digits = 0;

  reset(): void {
    this.state = State.Size;
    this.size = 0;
    this.digits = 0;
  }

  /**
   * Scans `buf` from `start`; returns the offset just past the body's end, -1 when the body goes
   * on past `buf`, or MALFORMED.
   */
  scan(buf: Buffer, start: number): number {
    let i = start;
    while (i < buf.length) {
      const byte = buf[i] as number;
      switch (this.state) {
        case State.Size: {
          const digit = hexValue(byte);
          if (digit >= 0 && this.digits < 12) {
            this.size = this.size * 16 + digit;
            this.digits++;
          } else if (this.digits === 0) return MALFORMED;
          else if (byte === CR) this.state = State.SizeLf;
          else if (byte === 59 /* ; */ || byte === 32 || byte === 9) this.state = State.Extension;
          else return MALFORMED;
          break;
        }
        case State.Extension:
          if (byte === CR) this.state = State.SizeLf;
          break;
        case State.SizeLf:
          if (byte !== LF) return MALFORMED;
          this.state = this.size === 0 ? State.TrailerStart : State.Data;
          break;
        case State.Data: {
          const n = Math.min(this.size, buf.length - i);
          this.size -= n;
          i += n;
          if (this.size === 0) this.state = State.DataCr;
          continue;
        }
        case State.DataCr:
          if (byte !== CR) return MALFORMED;
          this.state = State.DataLf;
          break;
        case State.DataLf:
          if (byte !== LF) return MALFORMED;
          this.state = State.Size;
          this.digits = 0;
          break;
        case State.TrailerStart:
          this.state = byte === CR ? State.EndLf : State.Trailer;
          break;
        case State.Trailer:
          if (byte === LF) this.state = State.TrailerStart;
          break;
        case State.EndLf:
          if (byte !== LF) return MALFORMED;
          this.state = State.Done;
          return i + 1;
        case State.Done:
          return i;
      }
      i++;
    }
    return -1;
  }
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}
