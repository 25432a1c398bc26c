import { CutoverError } from './errors.js';

/** The OCI distribution tag grammar. */
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export type TimestampFormat = 'date' | 'datetime';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * UTC `YYYYMMDD` (the seed's form, docs/architecture.md#seed-terms) or `YYYYMMDDHHmmss` when
 * several builds a day must differ.
 */
export function formatTagTimestamp(at: Date, format: TimestampFormat): string {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  if (format === 'date') return date;
  return `${date}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

/**
 * `{version}-{commit_short}-{timestamp}`. Semver build metadata (`+`) is not allowed in OCI tags,
 * so it becomes `_`; anything else outside the tag grammar is an input error, not silently fixed.
 */
export function formatReleaseTag(version: string, commit: string, at: Date, format: TimestampFormat): string {
  const tag = `${version.replaceAll('+', '_')}-${commit.slice(0, 7)}-${formatTagTimestamp(at, format)}`;
  if (!OCI_TAG.test(tag)) {
    const bad = [...new Set(tag.replace(/[A-Za-z0-9_.-]/g, ''))];
    const why = bad.length
      ? `characters not allowed in an OCI tag: ${bad.map((c) => JSON.stringify(c)).join(' ')}`
      : tag.length > 128
        ? 'longer than 128 characters'
        : 'must start with a letter, digit or _';
    throw new CutoverError('E_TAG_INVALID', `version: tag "${tag}" is not a valid OCI tag (${why})`, { tag });
  }
  return tag;
}
