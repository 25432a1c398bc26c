import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { pendingInSqliteQueue, readSqliteFlags } from '../../adapters/postgres/copy-flags.js';
import { copySqliteJournal } from '../../adapters/postgres/copy-journal.js';
import { migrateStore } from '../../adapters/postgres/migrate.js';
import { CutoverError } from '../../core/errors.js';
import { postgresConnection } from '../state-stores.js';
import { withApp } from '../with-app.js';

export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description("where the journal, locks and queue live (cutover.yaml's state: sqlite or postgres)");
  state
    .command('migrate')
    .description(
      'create or upgrade the PostgreSQL schema (every command does it on first use; safe to run from several places at once)',
    )
    .action((_options: unknown, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const config = app.config.state;
        if (config.type === 'sqlite') {
          process.stdout.write(
            'nothing to migrate: state.type is sqlite, whose files in the state dir are created and upgraded as commands open them\n',
          );
          return;
        }
        const connection = postgresConnection(config);
        const { from, to } = await migrateStore(connection);
        process.stdout.write(
          from === to
            ? `${connection.label}: schema already at version ${to}\n`
            : `${connection.label}: schema migrated from version ${from} to ${to}\n`,
        );
      }),
    );
  state
    .command('copy')
    .description(
      "copy a state dir's SQLite journal, hashes and all, and its flags into the empty PostgreSQL store cutover.yaml's state names",
    )
    .requiredOption('--from <sqlite:dir>', 'the state dir whose journal.db is copied, as sqlite:<dir>')
    .requiredOption('--to <postgres>', "postgres: the store cutover.yaml's state names")
    .action((o: { from: string; to: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const from = /^sqlite:(.+)$/.exec(o.from)?.[1];
        if (from === undefined)
          throw new CutoverError('E_USAGE', `--from ${o.from}: must be sqlite:<state dir>`);
        if (o.to !== 'postgres') throw new CutoverError('E_USAGE', `--to ${o.to}: must be postgres`);
        const state = app.config.state;
        if (state.type !== 'postgres')
          throw new CutoverError('E_USAGE', '--to postgres: cutover.yaml has no state: { type: postgres }');
        const connection = postgresConnection(state);
        const dir = resolve(from);
        const queued = pendingInSqliteQueue(join(dir, 'queue.db'));
        if (queued > 0)
          throw new CutoverError(
            'E_INVALID_INPUT',
            `--from ${o.from}: ${queued} changesets are queued there and not shipped; ship them (cutover deploy --queued) before moving the state`,
          );
        const file = join(dir, 'journal.db');
        const flags = readSqliteFlags(join(dir, 'flags.db'));
        const { rows, deploys, head } = await copySqliteJournal(file, connection, flags);
        process.stdout.write(
          `copied ${rows} journal rows (${deploys} deploys) and ${flags.flags} flags from ${dir} to ${connection.label}${rows ? `; head ${head}` : ''}\n`,
        );
      }),
    );
}
