/**
 * The HTTP/1.1 grammar of RFC 9110/9112 as the router's fast path accepts it: never more than
 * llhttp accepts in its default (non-lenient) mode, which is what node:http and the router's
 * differential test (test/unit/runtime/http1-differential.test.ts) hold it to. Tokens for
 * methods and field names; SP and HTAB the only optional whitespace; no control byte in a
 * target or a field value; lines ended by CRLF and nothing else. A head outside this grammar is
 * never forwarded as it came: node:http (llhttp) parses it, or the client gets a 400.
 */

const TCHAR = "!#$%&'*+\\-.^_`|~0-9A-Za-z";
/** A field value byte: HTAB, SP, VCHAR, obs-text. */
const VALUE = '[\\t\\x20-\\x7e\\x80-\\xff]';
const FIELD_LINE = `\\r\\n[${TCHAR}]+:${VALUE}*`;

/**
 * A whole request head (without its blank line) the fast path may relay: one of the usual
 * methods, an origin-form target of visible ASCII, HTTP/1.1, well-formed field lines. The
 * pattern is deterministic (a name stops at `:`, a value at CR), so matching is linear.
 */
export const REQUEST_HEAD = new RegExp(
  `^(?:GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) /[!-~]* HTTP/1\\.1(?:${FIELD_LINE})*$`,
);

/** A whole response head (without its blank line) from a version. */
export const RESPONSE_HEAD = new RegExp(`^HTTP/1\\.[01] [1-5][0-9]{2}(?: ${VALUE}*)?(?:${FIELD_LINE})*$`);

/** 1 for the bytes of RFC 9110's `tchar`. */
export const TOKEN_BYTES = byteSet((b) => new RegExp(`^[${TCHAR}]$`).test(String.fromCharCode(b)));
/** 1 for the bytes a field value (or a quoted string) may hold. */
export const VALUE_BYTES = byteSet((b) => b === 9 || (b >= 0x20 && b !== 0x7f));

const SP = 32;
const HTAB = 9;

/** `line` from `from`, without the SP/HTAB around it (`trim()` would also strip \v, \f, NBSP…). */
export function trimOws(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isOws(line.charCodeAt(start))) start++;
  while (end > start && isOws(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

/** Whether a comma-separated list of tokens (like `Connection`) holds `token` (lowercase). */
export function hasToken(list: string, token: string): boolean {
  for (const item of list.split(',')) if (trimOws(item, 0).toLowerCase() === token) return true;
  return false;
}

function isOws(code: number): boolean {
  return code === SP || code === HTAB;
}

function byteSet(member: (byte: number) => boolean): Uint8Array {
  const set = new Uint8Array(256);
  for (let b = 0; b < 256; b++) set[b] = member(b) ? 1 : 0;
  return set;
}
