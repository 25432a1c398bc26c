import Database from 'better-sqlite3';
import type { FlagEnvironmentState } from '../../core/model/flag.js';

/** A flag as one environment sees it; an environment never set reads as off, 0 %. */
export interface EnvironmentFlag extends FlagEnvironmentState {
  name: string;
}

type FlagRow = { name: string; state: FlagEnvironmentState['state'] | null; percentage: number | null };

interface Queries {
  all: Database.Statement<[string], FlagRow>;
  one: Database.Statement<[string, string], FlagRow>;
}

// One query per read, so a flag and its state always come from the same committed snapshot.
const SELECT_ALL = `SELECT f.name, s.state, s.percentage FROM flags f
  LEFT JOIN flag_states s ON s.flag = f.name AND s.environment = ? ORDER BY f.name`;
const SELECT_ONE = `SELECT f.name, s.state, s.percentage FROM flags f
  LEFT JOIN flag_states s ON s.flag = f.name AND s.environment = ? WHERE f.name = ?`;

// Reads run on the router's event loop: waiting on a lock would stall every request, and WAL
// readers only wait while a crashed writer's log is recovered.
const BUSY_TIMEOUT_MS = 100;

/**
 * Reads the flag store the CLI writes (`openSqliteFlags`), read-only: the daemon never creates or
 * migrates it. Until the file and its tables exist every flag is missing; each read retries, so a
 * store created after the daemon started is picked up. Every read sees the latest commit (WAL).
 */
export class FlagReader {
  private db: Database.Database | null = null;
  private queries: Queries | null = null;

  constructor(readonly file: string) {}

  /** undefined when the flag does not exist (or there is no store yet). */
  read(flag: string, environment: string): EnvironmentFlag | undefined {
    const row = this.prepare()?.one.get(environment, flag);
    return row ? toFlag(row) : undefined;
  }

  /** Every flag of the store, by name. */
  readAll(environment: string): EnvironmentFlag[] {
    return (this.prepare()?.all.all(environment) ?? []).map(toFlag);
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.queries = null;
  }

  /** Null while there is no store to read; throws on any other database error. */
  private prepare(): Queries | null {
    if (this.queries !== null) return this.queries;
    if (this.db === null) {
      try {
        this.db = new Database(this.file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CANTOPEN') return null;
        throw err;
      }
    }
    try {
      this.queries = {
        all: this.db.prepare<[string], FlagRow>(SELECT_ALL),
        one: this.db.prepare<[string, string], FlagRow>(SELECT_ONE),
      };
    } catch (err) {
      // The CLI creates the file a moment before its tables.
      if (err instanceof Error && err.message.startsWith('no such table')) return null;
      throw err;
    }
    return this.queries;
  }
}

function toFlag(row: FlagRow): EnvironmentFlag {
  return { name: row.name, state: row.state ?? 'off', percentage: row.percentage ?? 0 };
}
