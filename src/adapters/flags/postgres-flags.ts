import { CutoverError } from '../../core/errors.js';
import type { FlagEnvironmentState, Flags } from '../../ports/flags.js';
import { openStore } from '../postgres/open-store.js';
import type { PostgresConnection } from '../postgres/postgres-pool.js';
import type { StateAccess } from '../state-dir/state-dir-error.js';
import {
  checkPercentage,
  flagExists,
  flagMissing,
  flagRecords,
  OFF,
  type FlagStateRow,
} from './flag-rules.js';

// One statement per read, so a flag and its state come from the same snapshot.
const GET = `SELECT s.state, s.percentage FROM cutover.flags f
  LEFT JOIN cutover.flag_states s ON s.flag = f.name AND s.environment = $2 WHERE f.name = $1`;

type GetRow = { state: FlagEnvironmentState['state'] | null; percentage: number | null };

/**
 * The flag store in PostgreSQL (cutover.yaml `state: postgres`), shared by every executor on the
 * database, with the embedded store's behaviour (ports/flags.ts). A `set` of a flag that does not
 * exist is refused by the foreign key in the same statement, so a `create` racing it from another
 * executor is either seen or not, never half. The runtime daemon never reads it: the CLI publishes
 * what it serves over OFREP (docs/architecture.md#flags-served-by-the-runtime).
 */
export function openPostgresFlags(
  connection: PostgresConnection,
  options: { access?: StateAccess; now?: () => Date } = {},
): Flags {
  const access = options.access ?? 'write';
  const now = options.now ?? (() => new Date());
  const { query, close } = openStore(connection, { access, unavailable: 'E_STATE_UNAVAILABLE' });
  const assertWritable = (what: string): void => {
    if (access === 'read')
      throw new CutoverError('E_INTERNAL', `${connection.label} was opened for reading only: cannot ${what}`);
  };

  return {
    name: 'postgres',
    async get(flag, environment) {
      const [row] = await query<GetRow>('cutover.flag-get', GET, [flag, environment]);
      if (!row) return undefined;
      return row.state === null ? { ...OFF } : { state: row.state, percentage: row.percentage ?? 0 };
    },
    async set(flag, environment, s) {
      assertWritable(`set flag ${flag}`);
      checkPercentage(s.percentage);
      try {
        await query(
          'cutover.flag-set',
          `INSERT INTO cutover.flag_states (flag, environment, state, percentage, updated_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (flag, environment) DO UPDATE SET
           state = excluded.state, percentage = excluded.percentage, updated_at = excluded.updated_at`,
          [flag, environment, s.state, s.percentage, now().toISOString()],
        );
      } catch (err) {
        // 23503: foreign_key_violation, the flag does not exist
        if ((err as { code?: unknown }).code === '23503') throw flagMissing(flag);
        throw err;
      }
    },
    async create(flag) {
      assertWritable(`create flag ${flag}`);
      const inserted = await query(
        'cutover.flag-create',
        'INSERT INTO cutover.flags (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name',
        [flag, now().toISOString()],
      );
      if (inserted.length === 0) throw flagExists(flag);
    },
    async list() {
      const names = await query<{ name: string }>(
        'cutover.flag-names',
        'SELECT name FROM cutover.flags ORDER BY name COLLATE "C"',
      );
      const states = await query<FlagStateRow>(
        'cutover.flag-states',
        'SELECT flag, environment, state, percentage FROM cutover.flag_states ORDER BY flag, environment',
      );
      return flagRecords(
        names.map((n) => n.name),
        states,
      );
    },
    dispose: close,
  };
}
