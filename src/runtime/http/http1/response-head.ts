import { hasToken, RESPONSE_HEAD, trimOws } from './grammar.js';
import { CHUNKED, UNTIL_CLOSE } from './request-head.js';

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5][0-9][0-9])(?: (.*))?$/;
const DIGITS = /^[0-9]{1,15}$/;
// Marks a hop-by-hop line the client does not get (a real line is never empty).
const DROPPED = '';

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
 * or outside the grammar of grammar.ts (the client then gets a 502, as from any version that
 * answers garbage).
 */
export function parseResponseHead(
  text: string,
  method: string,
  setCookie: string | null,
  closeClient: boolean,
): ForwardedResponse | null {
  if (!RESPONSE_HEAD.test(text)) return null;
  const lines = text.split('\r\n');
  const line = STATUS_LINE.exec(lines[0] as string);
  if (line === null) return null;
  const status = Number(line[2]);
  // Most heads need no change: their bytes then go to the client as they came, in one write.
  let changed = line[1] === '0' || line[3] === undefined;
  let length: string | null = null;
  const lengthLines: number[] = [];
  let transfer: string | null = null;
  // An HTTP/1.0 version keeps its connection only when it says so.
  let close = line[1] === '0';
  for (let i = 1; i < lines.length; i++) {
    const header = lines[i] as string;
    const colon = header.indexOf(':');
    switch (header.slice(0, colon).toLowerCase()) {
      case 'connection': {
        const value = header.slice(colon + 1);
        if (hasToken(value, 'close')) close = true;
        else if (hasToken(value, 'keep-alive')) close = false;
        lines[i] = DROPPED;
        changed = true;
        break;
      }
      case 'keep-alive':
      case 'proxy-connection':
      case 'trailer':
      case 'upgrade':
        lines[i] = DROPPED;
        changed = true;
        break;
      case 'content-length': {
        const value = trimOws(header, colon + 1);
        if ((length !== null && length !== value) || !DIGITS.test(value)) return null;
        length = value;
        lengthLines.push(i);
        break;
      }
      case 'transfer-encoding': {
        const value = trimOws(header, colon + 1);
        transfer = transfer === null ? value : `${transfer}, ${value}`;
        break;
      }
    }
  }
  const body = bodyOf(status, method, length, transfer);
  // RFC 9112 §6.3: with Transfer-Encoding, a proxy removes Content-Length before forwarding, or
  // a proxy in front of the router could frame the answer by the length and desync.
  if (transfer !== null && lengthLines.length > 0) {
    for (const i of lengthLines) lines[i] = DROPPED;
    changed = true;
  }
  // A close-delimited body ends the client's connection too: say so.
  const sayClose = closeClient || body === UNTIL_CLOSE;
  if (!changed && setCookie === null && !sayClose) return { status, head: null, body, close };
  let head = `HTTP/1.1 ${line[2]} ${line[3] ?? ''}\r\n`;
  for (let i = 1; i < lines.length; i++) if (lines[i] !== DROPPED) head += `${lines[i]}\r\n`;
  if (setCookie !== null) head += `set-cookie: ${setCookie}\r\n`;
  if (sayClose) head += 'connection: close\r\n';
  return { status, head: `${head}\r\n`, body, close };
}

function bodyOf(status: number, method: string, length: string | null, transfer: string | null): number {
  if (method === 'HEAD' || status === 204 || status === 304) return 0;
  // RFC 9112 6.3: transfer-encoding wins over content-length; a last coding other than chunked
  // means the body runs until the connection closes.
  if (transfer !== null) return /(?:^|,)\s*chunked\s*$/i.test(transfer) ? CHUNKED : UNTIL_CLOSE;
  return length === null ? UNTIL_CLOSE : Number(length);
}
