import { CHUNKED, UNTIL_CLOSE } from './request-head.js';

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5][0-9][0-9])(?: (.*))?$/;
const DIGITS = /^[0-9]{1,15}$/;

/** A version's response head as the fast path passes it on. */
export interface ForwardedResponse {
  status: number;
  /** the head for the client, blank line included; null: the version's head as it is */
  head: string | null;
  /** CHUNKED, UNTIL_CLOSE, or the content-length (0: no body) */
  body: number;
  /** the version will close its connection after this response */
  close: boolean;
}

/**
 * Parses a response head (`text`: latin1, without the blank line) and rewrites it for the client:
 * hop-by-hop headers dropped, the uid cookie and `connection: close` added when needed. The body
 * bytes pass through unchanged, so the framing headers stay. Null when the head is malformed
 * (the client then gets a 502, as from any version that answers garbage).
 */
export function parseResponseHead(
  text: string,
  method: string,
  setCookie: string | null,
  closeClient: boolean,
): ForwardedResponse | null {
  const lines = text.split('\r\n');
  const line = STATUS_LINE.exec(lines[0] as string);
  if (line === null) return null;
  const status = Number(line[2]);
  let head = `HTTP/1.1 ${line[2]} ${line[3] ?? ''}\r\n`;
  // Most heads need no change: their bytes then go to the client as they came, in one write.
  let changed = line[1] === '0' || line[3] === undefined;
  let length: string | null = null;
  let transfer: string | null = null;
  // An HTTP/1.0 version keeps its connection only when it says so.
  let close = line[1] === '0';
  for (let i = 1; i < lines.length; i++) {
    const header = lines[i] as string;
    const colon = header.indexOf(':');
    if (colon <= 0 || header.charCodeAt(0) <= 32 || header.includes('\n')) return null;
    const name = header.slice(0, colon).toLowerCase();
    const value = header.slice(colon + 1).trim();
    switch (name) {
      case 'connection':
        if (value.toLowerCase().includes('close')) close = true;
        else if (value.toLowerCase().includes('keep-alive')) close = false;
        changed = true;
        continue;
      case 'keep-alive':
      case 'proxy-connection':
      case 'trailer':
      case 'upgrade':
        changed = true;
        continue;
      case 'content-length':
        if ((length !== null && length !== value) || !DIGITS.test(value)) return null;
        length = value;
        break;
      case 'transfer-encoding':
        transfer = transfer === null ? value : `${transfer}, ${value}`;
        break;
    }
    head += `${header}\r\n`;
  }
  const body = bodyOf(status, method, length, transfer);
  if (setCookie !== null) head += `set-cookie: ${setCookie}\r\n`;
  // A close-delimited body ends the client's connection too: say so.
  if (closeClient || body === UNTIL_CLOSE) head += 'connection: close\r\n';
  else if (!changed && setCookie === null) return { status, head: null, body, close };
  return { status, head: `${head}\r\n`, body, close };
}

function bodyOf(status: number, method: string, length: string | null, transfer: string | null): number {
  if (method === 'HEAD' || status === 204 || status === 304) return 0;
  // RFC 9112 6.3: transfer-encoding wins over content-length; a last coding other than chunked
  // means the body runs until the connection closes.
  if (transfer !== null) return /(?:^|,)\s*chunked\s*$/i.test(transfer) ? CHUNKED : UNTIL_CLOSE;
  return length === null ? UNTIL_CLOSE : Number(length);
}
