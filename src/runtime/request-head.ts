/** How a message's body is delimited; a number >= 0 is a content-length. */
export const CHUNKED = -1;
/** A response without length: it ends when the version closes the connection. */
export const UNTIL_CLOSE = -2;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([A-Z]+) ([^ ]+) HTTP\/1\.1$/;
const DIGITS = /^[0-9]{1,15}$/;

/** Offset just past the blank line that ends the head starting at `start`, or -1. */
export function findHeadEnd(buf: Buffer, start: number): number {
  const at = buf.indexOf(CRLFCRLF, start);
  return at === -1 ? -1 : at + 4;
}

/** A client's request as the fast path forwards it. */
export interface ForwardedRequest {
  /** the head for the version: hop-by-hop headers dropped, x-forwarded-* added, blank line included */
  head: string;
  method: string;
  target: string;
  /** CHUNKED, or the content-length (0: no body) */
  body: number;
  /** the client asked to close the connection after this exchange */
  close: boolean;
  /** value of the stickiness header, else null */
  key: string | null;
  cookie: string | undefined;
}

/**
 * Parses a request head (`text`: latin1, without the blank line) and rewrites it for the version.
 * Returns null for anything but a plain, well-formed HTTP/1.1 request: upgrades, `Expect`,
 * ambiguous framing, obsolete line folding, a missing Host. The caller hands those to node:http,
 * which knows every corner of the protocol; the fast path only has to be right about the rest.
 */
export function parseRequestHead(
  text: string,
  stickyHeader: string,
  client: string,
): ForwardedRequest | null {
  const lines = text.split('\r\n');
  const line = REQUEST_LINE.exec(lines[0] as string);
  if (line === null || line[1] === 'CONNECT') return null;
  let head = `${lines[0]}\r\n`;
  let length: string | null = null;
  let chunked = false;
  let host = false;
  let close = false;
  let key: string | null = null;
  let cookie: string | undefined;
  let forwardedFor: string | null = null;
  let forwardedProto = false;
  for (let i = 1; i < lines.length; i++) {
    const header = lines[i] as string;
    const colon = header.indexOf(':');
    if (colon <= 0 || header.includes('\n') || header.includes('\r')) return null;
    const name = header.slice(0, colon).toLowerCase();
    if (name.charCodeAt(name.length - 1) <= 32 || header.charCodeAt(0) <= 32) return null;
    const value = header.slice(colon + 1).trim();
    switch (name) {
      case 'host':
        if (host) return null;
        host = true;
        break;
      case 'content-length':
        if (length !== null || !DIGITS.test(value)) return null;
        length = value;
        break;
      case 'transfer-encoding':
        if (chunked || value.toLowerCase() !== 'chunked') return null;
        chunked = true;
        break;
      case 'connection':
        close ||= value.toLowerCase().includes('close');
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
    head += `${header}\r\n`;
  }
  if (!host || (chunked && length !== null)) return null;
  head += `x-forwarded-for: ${forwardedFor === null ? client : `${forwardedFor}, ${client}`}\r\n`;
  if (!forwardedProto) head += 'x-forwarded-proto: http\r\n';
  const body = chunked ? CHUNKED : length === null ? 0 : Number(length);
  return {
    head: `${head}\r\n`,
    method: line[1] as string,
    target: line[2] as string,
    body,
    close,
    key,
    cookie,
  };
}
