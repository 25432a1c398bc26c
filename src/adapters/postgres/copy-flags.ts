import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { CutoverError } from '../../core/errors.js';

interface FlagRow {
  name: string;
  created_at: string;
}
interface FlagStateRow {
  flag: string;
  environment: string;
  state: string;
  percentage: number;
  updated_at: string;
}

/** A state dir's SQLite flag store, read whole, and how to write it into PostgreSQL's. */
export interface FlagsCopy {
  flags: number;
  /** inside the copy's transaction; refuses a store that already has flags */
  copy(db: pg.PoolClient, label: string): Promise<void>;
}

/**
 * Reads `flags.db` (absent: no flags) so `state copy` brings the flags along with the journal:
 * a deploy on the new store must find the flags the journal's deploys set, in the states they
 * were left in. Like the journal, only an empty store is filled, so nothing is overwritten.
 */
export function readSqliteFlags(flagsFile: string): FlagsCopy {
  if (!existsSync(flagsFile)) return { flags: 0, copy: async () => undefined };
  const sqlite = new Database(flagsFile, { readonly: true, fileMustExist: true });
  let flags: FlagRow[];
  let states: FlagStateRow[];
  try {
    flags = sqlite.prepare('SELECT name, created_at FROM flags ORDER BY name').all() as FlagRow[];
    states = sqlite.prepare('SELECT * FROM flag_states ORDER BY flag, environment').all() as FlagStateRow[];
  } finally {
    sqlite.close();
  }
  return {
    flags: flags.length,
    async copy(db, label) {
      if (flags.length === 0) return;
      const found = Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM cutover.flags')).rows[0]!.n,
      );
      if (found > 0)
        throw new CutoverError(
          'E_INVALID_INPUT',
          `--to postgres: ${label} already holds ${found} flags; state copy only fills an empty flag store`,
        );
      await db.query(
        'INSERT INTO cutover.flags (name, created_at) SELECT * FROM unnest($1::text[], $2::text[])',
        [flags.map((f) => f.name), flags.map((f) => f.created_at)],
      );
      const column = <K extends keyof FlagStateRow>(key: K) => states.map((s) => s[key]);
      await db.query(
        `INSERT INTO cutover.flag_states (flag, environment, state, percentage, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[])`,
        (['flag', 'environment', 'state', 'percentage', 'updated_at'] as const).map(column),
      );
    },
  };
}

/** Changesets submitted to a state dir's SQLite queue and not shipped yet (absent: none). */
export function pendingInSqliteQueue(queueFile: string): number {
  if (!existsSync(queueFile)) return 0;
  const sqlite = new Database(queueFile, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite.prepare('SELECT count(*) AS n FROM queued_changesets WHERE deploy_id IS NULL').get();
    return (row as { n: number }).n;
  } finally {
    sqlite.close();
  }
}
