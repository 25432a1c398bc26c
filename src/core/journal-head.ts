import type { JournalHead } from '../ports/journal.js';
import { CutoverError } from './errors.js';

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
