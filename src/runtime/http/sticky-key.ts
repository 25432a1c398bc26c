import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const UID_COOKIE = 'cutover_uid';
export const DEFAULT_STICKINESS_HEADER = 'x-user-id';

const COOKIE_PREFIX = `${UID_COOKIE}=`;
const SEMICOLON = 59;
const SPACE = 32;
// A year: the id only has to outlive a rollout, but users should not hop versions mid-canary.
const COOKIE_ATTRIBUTES = '; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly';

/** The value of the `cutover_uid` cookie, or null. */
export function readUidCookie(cookie: string | undefined): string | null {
  if (cookie === undefined) return null;
  let at = cookie.indexOf(COOKIE_PREFIX);
  // Skip matches inside another cookie's name, like `xcutover_uid=`.
  while (at > 0 && cookie.charCodeAt(at - 1) !== SEMICOLON && cookie.charCodeAt(at - 1) !== SPACE) {
    at = cookie.indexOf(COOKIE_PREFIX, at + 1);
  }
  if (at === -1) return null;
  const start = at + COOKIE_PREFIX.length;
  let end = cookie.indexOf(';', start);
  if (end === -1) end = cookie.length;
  return end > start ? cookie.slice(start, end) : null;
}

/**
 * The key a request is routed by: the first non-empty value of the stickiness header (node:http
 * would join repeated ones; the fast path takes the first, and both paths must agree), else the
 * uid cookie. Null when the client has neither; the router then mints a uid and sets the cookie.
 */
export function readStickyKey(req: IncomingMessage, header: string): string | null {
  if (req.headers[header] !== undefined) {
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i + 1] !== '' && (raw[i] as string).toLowerCase() === header) return raw[i + 1] as string;
    }
  }
  return readUidCookie(req.headers.cookie);
}

export function mintUid(): string {
  return randomUUID();
}

export function formatUidCookie(uid: string): string {
  return COOKIE_PREFIX + uid + COOKIE_ATTRIBUTES;
}
