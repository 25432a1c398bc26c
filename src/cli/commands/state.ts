import type { Command } from 'commander';
import { migrateStore } from '../../adapters/postgres/migrate.js';
import { postgresConnection } from '../adapters.js';
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
}
