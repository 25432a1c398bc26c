import { CutoverError } from '../../core/errors.js';

/**
 * SQLite result codes (extended codes start with these) that say the journal cannot be written
 * right now but may be later: another process holds the write lock (`BUSY`, `LOCKED`), the disk
 * failed or filled up (`IOERR`, `FULL`), the file or its directory is read-only or went away
 * (`READONLY`, `CANTOPEN`). Nothing is written when an append fails with one of them.
 */
const UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
];

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * `err` as `E_JOURNAL_UNAVAILABLE` naming the journal file when SQLite says it is unavailable
 * (the executor retries those, then rolls back); anything else is returned unchanged.
 */
export function classifyJournalError(err: unknown, path: string): unknown {
  const code = sqliteCode(err);
  if (code === undefined || !UNAVAILABLE.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)))
    return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CutoverError(
    'E_JOURNAL_UNAVAILABLE',
    `journal ${path} is unavailable: ${message} (${code})`,
    { path, sqlite_code: code },
    err,
  );
}

/** An append whose `expectedSeq` is not the deploy's last seq: nothing was written. */
export function seqConflict(deployId: string, current: number, expected: number): CutoverError {
  return new CutoverError(
    'E_JOURNAL_CONFLICT',
    `deploy ${deployId} moved on (seq ${current}, expected ${expected}): another process is writing it`,
  );
}

/** An append through a journal opened for reading: a bug in the verb, never worth retrying. */
export function readOnlyJournal(store: string): CutoverError {
  return new CutoverError(
    'E_JOURNAL_READ_ONLY',
    `${store} was opened for reading only (status, log, audit verify|head): nothing is appended through it`,
    { path: store },
  );
}
