import { hasToken, REQUEST_HEAD, trimOws } from './grammar.js';

/** How a message's body is delimited; a number >= 0 is a content-length. */
export const CHUNKED = -1;
/** A response without length: it ends when the version closes the connection. */
export const UNTIL_CLOSE = -2;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const DIGITS = /^[0-9]{1,15}$/;
// llhttp refuses a framing header whose value ends in HTAB (found by the differential test).
const TRAILING_TAB = /\t *$/;
const LF = 10;
const CR = 13;

/** Offset just past the blank line that ends the head starting at `start`, or -1. */
export function findHeadEnd(buf: Buffer, start: number): number {
  const at = buf.indexOf(CRLFCRLF, start);
  return at === -1 ? -1 : at + 4;
}

/** Whether `buf` has a LF without its CR (from `from` on): not a head the fast path will ever see the end of. */
export function hasBareLf(buf: Buffer, from = 0): boolean {
  for (let at = buf.indexOf(LF, from); at !== -1; at = buf.indexOf(LF, at + 1)) {
    if (at === 0 || buf[at - 1] !== CR) return true;
  }
  return false;
}

/** A client's request as the fast path forwards it. */
export interface ForwardedRequest {
  /** the head for the version: hop-by-hop headers dropped, x-forwarded-* added, blank line included */
  head: string;
  /** bytes of the client's head, blank line included: where its body starts */
  headBytes: number;
  method: string;
  target: string;
  /** CHUNKED, or the content-length (0: no body) */
  body: number;
  /** the client asked to close the connection after this exchange */
  close: boolean;
  /** the first non-empty value of the stickiness header, else null */
  key: string | null;
  cookie: string | undefined;
}

/**
 * Parses a request head (`text`: latin1, without the blank line) and rewrites it for the version.
 * Returns null for anything but a plain, well-formed HTTP/1.1 request (see grammar.ts): other
 * methods or versions, upgrades, `Expect`, any framing but one Content-Length or one
 * `Transfer-Encoding: chunked`, a missing or repeated Host, and every malformed head. The caller
 * hands those to node:http, whose llhttp parser answers 400 or knows the corner of the protocol.
 */
export function parseRequestHead(
  text: string,
  stickyHeader: string,
  client: string,
): ForwardedRequest | null {
  if (!REQUEST_HEAD.test(text)) return null;
  const lines = text.split('\r\n');
  const requestLine = lines[0] as string;
  const firstSpace = requestLine.indexOf(' ');
  let head = `${requestLine}\r\n`;
  let length: string | null = null;
  let chunked = false;
  let host = false;
  let close = false;
  let key: string | null = null;
  let cookie: string | undefined;
  let forwardedFor: string | null = null;
  let forwardedProto = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = trimOws(line, colon + 1);
    switch (name) {
      case 'host':
        if (host) return null;
        host = true;
        break;
      case 'content-length':
        if (length !== null || !DIGITS.test(value) || TRAILING_TAB.test(line)) return null;
        length = value;
        break;
      case 'transfer-encoding':
        if (chunked || value.toLowerCase() !== 'chunked' || TRAILING_TAB.test(line)) return null;
        chunked = true;
        break;
      case 'connection':
        close ||= hasToken(value, 'close');
        continue;
      case 'upgrade':
      case 'expect':
        return null;
      case 'keep-alive':
      case 'proxy-connection':
        continue;
      case 'x-forwarded-for':
        forwardedFor = forwardedFor === null ? value : `${forwardedFor}, ${value}`;
        continue;
      case 'x-forwarded-proto':
        forwardedProto = true;
        break;
      case 'cookie':
        cookie = cookie === undefined ? value : `${cookie}; ${value}`;
        break;
    }
    if (name === stickyHeader && key === null && value !== '') key = value;
    head += `${line}\r\n`;
  }
  if (!host || (chunked && length !== null)) return null;
  head += `x-forwarded-for: ${forwardedFor === null ? client : `${forwardedFor}, ${client}`}\r\n`;
  if (!forwardedProto) head += 'x-forwarded-proto: http\r\n';
  return {
    head: `${head}\r\n`,
    headBytes: text.length + 4,
    method: requestLine.slice(0, firstSpace),
    target: requestLine.slice(firstSpace + 1, requestLine.length - 9),
    body: chunked ? CHUNKED : length === null ? 0 : Number(length),
    close,
    key,
    cookie,
  };
}
