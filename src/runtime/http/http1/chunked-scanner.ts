import { TOKEN_BYTES, VALUE_BYTES } from './grammar.js';

const enum State {
  Size,
  Extension,
  ExtensionName,
  ExtensionValueStart,
  ExtensionToken,
  ExtensionQuoted,
  ExtensionEscape,
  ExtensionQuoteEnd,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  EndLf,
  Done,
}

const CR = 13;
const LF = 10;
const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
/** Beyond 12 significant hex digits (256 TiB) a chunk is no chunk anyone sends. */
const MAX_SIZE_DIGITS = 12;
/** A chunk-size line, extensions included. */
const MAX_SIZE_LINE = 4096;
/** All trailer lines together, like a head. */
const MAX_TRAILER_BYTES = 64 * 1024;
export const MALFORMED = -2;

/**
 * Finds where a chunked body ends without decoding it: the fast path passes the chunks through
 * byte for byte and only needs to know when the message is over. Every byte before that point is
 * checked against RFC 9112 §7.1 (no more than llhttp accepts: no whitespace in a size, extensions
 * `;name[=token|"quoted"]`, CRLF after sizes and data, trailers as strict field lines), so what
 * it lets through is a prefix of one well-formed message; the first byte out of grammar is
 * MALFORMED and the caller drops both connections. Sizes are read, data is skipped by counting.
 */
export class ChunkedScanner {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  /** bytes of the current size line, or of the trailers so far */
  private lineBytes = 0;

  reset(): void {
    this.state = State.Size;
    this.size = 0;
    this.digits = 0;
    this.lineBytes = 0;
  }

  /** Scans `buf` from `start`: the offset just past the body's end, -1 when it goes on, or MALFORMED. */
  scan(buf: Buffer, start: number): number {
    let i = start;
    while (i < buf.length) {
      if (this.state === State.Data) {
        const n = Math.min(this.size, buf.length - i);
        this.size -= n;
        i += n;
        if (this.size === 0) this.state = State.DataCr;
        continue;
      }
      const byte = buf[i] as number;
      if (this.state <= State.ExtensionQuoteEnd && ++this.lineBytes > MAX_SIZE_LINE) return MALFORMED;
      if (this.state >= State.TrailerStart && ++this.lineBytes > MAX_TRAILER_BYTES) return MALFORMED;
      const next = this.step(byte);
      if (next === -1) return MALFORMED;
      if (next === State.Done) return i + 1;
      this.state = next;
      i++;
    }
    return -1;
  }

  /** The state after `byte`, or -1 when the byte is out of grammar. */
  private step(byte: number): State | -1 {
    switch (this.state) {
      case State.Size: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          if (this.size > 0 || digit > 0) this.digits++;
          if (this.digits > MAX_SIZE_DIGITS) return -1;
          this.size = this.size * 16 + digit;
          return State.Size;
        }
        // lineBytes counts this byte: 1 means no digit came before it.
        if (this.lineBytes === 1) return -1;
        return byte === CR ? State.SizeLf : byte === SEMICOLON ? State.Extension : -1;
      }
      case State.Extension:
        return TOKEN_BYTES[byte] === 1 ? State.ExtensionName : -1;
      case State.ExtensionName:
        if (TOKEN_BYTES[byte] === 1) return State.ExtensionName;
        return byte === EQUALS ? State.ExtensionValueStart : this.afterExtension(byte);
      case State.ExtensionValueStart:
        if (byte === QUOTE) return State.ExtensionQuoted;
        return TOKEN_BYTES[byte] === 1 ? State.ExtensionToken : -1;
      case State.ExtensionToken:
        return TOKEN_BYTES[byte] === 1 ? State.ExtensionToken : this.afterExtension(byte);
      case State.ExtensionQuoted:
        if (byte === QUOTE) return State.ExtensionQuoteEnd;
        if (byte === BACKSLASH) return State.ExtensionEscape;
        return byte < 0x80 && VALUE_BYTES[byte] === 1 ? State.ExtensionQuoted : -1;
      case State.ExtensionEscape:
        return byte < 0x80 && VALUE_BYTES[byte] === 1 ? State.ExtensionQuoted : -1;
      case State.ExtensionQuoteEnd:
        return this.afterExtension(byte);
      case State.SizeLf:
        if (byte !== LF) return -1;
        this.lineBytes = 0;
        return this.size === 0 ? State.TrailerStart : State.Data;
      case State.DataCr:
        return byte === CR ? State.DataLf : -1;
      case State.DataLf:
        if (byte !== LF) return -1;
        this.digits = 0;
        return State.Size;
      case State.TrailerStart:
        if (byte === CR) return State.EndLf;
        return TOKEN_BYTES[byte] === 1 ? State.TrailerName : -1;
      case State.TrailerName:
        if (byte === COLON) return State.TrailerValue;
        return TOKEN_BYTES[byte] === 1 ? State.TrailerName : -1;
      case State.TrailerValue:
        if (byte === CR) return State.TrailerLf;
        return VALUE_BYTES[byte] === 1 ? State.TrailerValue : -1;
      case State.TrailerLf:
        return byte === LF ? State.TrailerStart : -1;
      case State.EndLf:
        return byte === LF ? State.Done : -1;
      default:
        return -1;
    }
  }

  private afterExtension(byte: number): State | -1 {
    return byte === CR ? State.SizeLf : byte === SEMICOLON ? State.Extension : -1;
  }
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}
