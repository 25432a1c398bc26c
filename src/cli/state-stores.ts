import { join } from 'node:path';
import { assertNever, CutoverError } from '../core/errors.js';
import type { PostgresStateConfig, StateConfig } from '../core/schema/state-config.js';
import type { Journal } from '../ports/journal.js';
import type { EnvironmentLocks } from '../ports/lock.js';
import type { ChangesetQueue } from '../ports/queue.js';
import { openPostgresJournal } from '../adapters/journal/postgres-journal.js';
import { openSqliteJournal } from '../adapters/journal/sqlite-journal.js';
import { openPostgresLocks } from '../adapters/lock/postgres-locks.js';
import { openSqliteLocks } from '../adapters/lock/sqlite-locks.js';
import type { PostgresConnection } from '../adapters/postgres/postgres-pool.js';
import { openPostgresQueue } from '../adapters/queue/postgres-queue.js';
import { openSqliteQueue } from '../adapters/queue/sqlite-queue.js';
import type { StateAccess } from '../adapters/state-dir/state-dir-error.js';

/**
 * The PostgreSQL store cutover.yaml's `state` names: its URL read from the variable `url_env`
 * names, when first needed, so verbs that never touch the state do not need it set.
 */
export function postgresConnection(state: PostgresStateConfig, env = process.env): PostgresConnection {
  const url = env[state.url_env];
  if (!url)
    throw new CutoverError(
      'E_USAGE',
      `state.url_env: ${state.url_env} is not set: cutover.yaml's state.type is postgres, and ${state.url_env} must hold its URL (postgres://user:password@host:5432/database)`,
    );
  // pg would say only "Invalid URL", later, from the first query, and would take a libpq
  // keyword string (`host=… password=…`) for a database name that its errors then quote:
  // only a postgres:// URL is accepted, and the value itself is never quoted
  if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(url))
    throw new CutoverError(
      'E_USAGE',
      `state.url_env: ${state.url_env} does not hold a valid URL (postgres://user:password@host:5432/database, with special characters in the password percent-encoded)`,
    );
  return { url, label: `PostgreSQL ($${state.url_env})` };
}

/** Where the journal, locks and queue are opened from; each opens a new one when called. */
export interface StateStores {
  /** bare: the CLI wraps a writing one to anchor it (app.ts) */
  journal(): Journal;
  locks(): EnvironmentLocks;
  queue(): ChangesetQueue;
}

export function stateStores(state: StateConfig, stateDir: string, access: StateAccess): StateStores {
  switch (state.type) {
    case 'sqlite':
      return {
        journal: () => openSqliteJournal(join(stateDir, 'journal.db'), { access }),
        locks: () => openSqliteLocks(join(stateDir, 'locks.db'), { access }),
        queue: () => openSqliteQueue(join(stateDir, 'queue.db'), access),
      };
    case 'postgres':
      return {
        journal: () => openPostgresJournal(postgresConnection(state), { access }),
        locks: () => openPostgresLocks(postgresConnection(state), { access }),
        queue: () => openPostgresQueue(postgresConnection(state), { access }),
      };
    default:
      return assertNever(state);
  }
}
