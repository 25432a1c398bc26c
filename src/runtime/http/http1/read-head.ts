import { MAX_HEAD_BYTES } from './front-answers.js';
import { findHeadEnd, hasBareLf, parseRequestHead, type ForwardedRequest } from './request-head.js';

/** The head is not all there yet. */
export const INCOMPLETE = 0;
/** Over MAX_HEAD_BYTES, however many reads brought it: 431. */
export const TOO_LARGE = 1;
/** Not plain, well-formed HTTP/1.1 (see grammar.ts): node:http (llhttp) decides. */
export const HAND_OVER = 2;

export type HeadReading = ForwardedRequest | typeof INCOMPLETE | typeof TOO_LARGE | typeof HAND_OVER;

/**
 * The fast path's reading of the next request head at the start of `buf`: what FastConnection
 * acts on, and what the differential test holds against llhttp, byte stream for byte stream.
 *
 * @param scanned bytes at the start of `buf` already searched (an earlier read was incomplete)
 */
export function readHead(buf: Buffer, stickyHeader: string, client: string, scanned = 0): HeadReading {
  // The first `scanned` bytes were searched before: only the new ones (and 3 before them) are.
  const end = findHeadEnd(buf, Math.max(0, scanned - 3));
  if (end === -1) {
    if (buf.length >= MAX_HEAD_BYTES) return TOO_LARGE;
    // llhttp refuses a bare LF at once; here its CRLFCRLF would never come.
    return hasBareLf(buf, scanned) ? HAND_OVER : INCOMPLETE;
  }
  if (end > MAX_HEAD_BYTES) return TOO_LARGE;
  return parseRequestHead(buf.toString('latin1', 0, end - 4), stickyHeader, client) ?? HAND_OVER;
}
