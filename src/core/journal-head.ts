import { CutoverError } from './errors.js';

/**
 * The newest row of the chain as `cutover audit head` prints it, `N:HASH`: how many rows there
 * are and the hash of row N (64 zeros for an empty journal). Kept anywhere the state dir's
 * writers cannot reach, it anchors the chain: a later chain must still have row N with that hash.
 */
export interface JournalHead {
  rows: number;
  hash: string;
}

const HEAD = /^(0|[1-9]\d{0,15}):([0-9a-f]{64})$/i;

/** `N:HASH`, as `cutover audit head` prints it and `--expect-head` takes it. */
export function formatHead(head: JournalHead): string {
  return `${head.rows}:${head.hash}`;
}

/**
 * Parses `N:HASH` (a row count, a colon, the 64 hex digits of row N's sha256); anything
 * else is a usage error naming the option, so a truncated copy-paste is never taken for a head.
 *
 * @example
 * parseHead('12:3f5a…', '--expect-head') // { rows: 12, hash: '3f5a…' }
 */
export function parseHead(text: string, option: string): JournalHead {
  const match = HEAD.exec(text.trim());
  const rows = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(rows))
    throw new CutoverError(
      'E_USAGE',
      `${option}: ${JSON.stringify(text.slice(0, 80))} is not N:HASH (a row count, a colon and a 64-hex-digit sha256, as cutover audit head prints)`,
    );
  return { rows, hash: match[2]!.toLowerCase() };
}
