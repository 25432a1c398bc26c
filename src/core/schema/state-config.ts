import { z } from 'zod';

/**
 * Where the journal, the locks and the queue live: the state dir's SQLite files (the default), or
 * a PostgreSQL database several executors share, its URL in the environment variable `url_env`
 * names (a secret: never in this file).
 */
const sqliteStateSchema = z.strictObject({ type: z.literal('sqlite') });
const postgresStateSchema = z.strictObject({
  type: z.literal('postgres'),
  url_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable')
    .default('CUTOVER_DATABASE_URL'),
});

/** cutover.yaml's `state`: SQLite unless it says otherwise. */
export const stateSchema = z
  .discriminatedUnion('type', [sqliteStateSchema, postgresStateSchema])
  .default({ type: 'sqlite' });

export type StateConfig = z.output<typeof stateSchema>;
export type PostgresStateConfig = z.output<typeof postgresStateSchema>;
