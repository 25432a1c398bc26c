import { z } from 'zod';

// RFC 3986 pchar plus "/" and "?": what an origin-form request target (RFC 9112 §3.2.1) holds.
const TARGET_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
const MAX_LENGTH = 2048;

/**
 * Why `text` is not an origin-form request target (`/health`, `/ready?deep=1`), or undefined.
 * The health probe puts it on the request line as it is: a space, CR/LF or any byte outside
 * these would end the line early or smuggle a header (`/health HTTP/1.1\r\nX: y`).
 */
export function urlPathProblem(text: string): string | undefined {
  if (!text.startsWith('/')) return 'must start with /';
  if (text.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  if (!TARGET_CHARS.test(text))
    return 'must be a URL path like /health: no spaces, control or non-ASCII characters, no # (percent-encode them, e.g. %20)';
  if (BAD_PERCENT.test(text)) return 'has a % that is not followed by two hex digits';
  return undefined;
}

/** A URL path an HTTP request is sent to, e.g. a health check's. */
export const urlPathSchema = z.string().superRefine((text, ctx) => {
  const problem = urlPathProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
