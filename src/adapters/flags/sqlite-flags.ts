import { CutoverError } from '../../core/errors.js';
import type { FlagEnvironmentState, Flags } from '../../ports/flags.js';
import {
  checkPercentage,
  flagExists,
  flagMissing,
  flagRecords,
  OFF,
  type FlagStateRow,
} from './flag-rules.js';
import { openStateDatabase, type StateAccess } from '../state-dir/open-database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flags (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flag_states (
  flag TEXT NOT NULL REFERENCES flags(name),
  environment TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('on', 'off')),
  percentage INTEGER NOT NULL CHECK (percentage BETWEEN 0 AND 100),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (flag, environment)
);
`;

/**
 * The embedded flag store: like Unleash, a flag exists once and has a state per environment;
 * an environment never set reads as off. Shared by the CLI and the runtime's OFREP endpoint.
 *
 * `read` (cutover plan) reads a snapshot without creating or changing anything in the state dir
 * (see openStateDatabase); a `set` or `create` through it is a bug in the verb and throws.
 */
export function openSqliteFlags(
  path: string,
  now: () => Date = () => new Date(),
  access: StateAccess = 'write',
): Flags {
  const db = openStateDatabase(path, SCHEMA, access);
  const assertWritable = (what: string): void => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${path} was opened for reading only: cannot ${what}`, { path });
  };

  const exists = db.prepare<[string], { name: string }>('SELECT name FROM flags WHERE name = ?');
  const getState = db.prepare<[string, string], FlagEnvironmentState>(
    'SELECT state, percentage FROM flag_states WHERE flag = ? AND environment = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO flag_states (flag, environment, state, percentage, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (flag, environment) DO UPDATE SET state = excluded.state, percentage = excluded.percentage, updated_at = excluded.updated_at`,
  );

  return {
    name: 'embedded',
    async get(flag, environment) {
      if (!exists.get(flag)) return undefined;
      const row = getState.get(flag, environment);
      return row ? { state: row.state, percentage: row.percentage } : { ...OFF };
    },
    async set(flag, environment, s) {
      assertWritable(`set flag ${flag}`);
      checkPercentage(s.percentage);
      if (!exists.get(flag)) throw flagMissing(flag);
      upsert.run(flag, environment, s.state, s.percentage, now().toISOString());
    },
    async create(flag) {
      assertWritable(`create flag ${flag}`);
      if (exists.get(flag)) throw flagExists(flag);
      db.prepare('INSERT INTO flags (name, created_at) VALUES (?, ?)').run(flag, now().toISOString());
    },
    async list() {
      const names = db.prepare<[], { name: string }>('SELECT name FROM flags ORDER BY name').all();
      const states = db
        .prepare<[], FlagStateRow>(
          'SELECT flag, environment, state, percentage FROM flag_states ORDER BY flag, environment',
        )
        .all();
      return flagRecords(
        names.map((n) => n.name),
        states,
      );
    },
    async dispose() {
      db.close();
    },
  };
}
