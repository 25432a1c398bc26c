import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { formatDuration } from '../../core/schema/duration.js';
import { loadChangeset, loadStrategy } from '../../inputs/load-inputs.js';
import { openApp, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument } from '../output.js';

interface SubmitOptions {
  env: string;
  strategy?: string;
  output: string;
}

export function registerSubmit(program: Command): void {
  program
    .command('submit <changeset>')
    .description(
      'queue a changeset; `deploy --queued` ships everything submitted in one batching window as a train',
    )
    .requiredOption('--env <environment>', 'environment the changeset is for')
    .option(
      '--strategy <mode|file>',
      'strategy for the train (its batching.window sizes the window this opens)',
    )
    .option('--output <format>', 'yaml or json', 'yaml')
    .action(async (file: string, opts: SubmitOptions, cmd: Command) => {
      const format = parseOutputFormat(opts.output);
      const loaded = loadChangeset(file);
      const strategy = opts.strategy ? loadStrategy(opts.strategy) : null;
      const windowMs = (strategy ?? loadStrategy('fast-track')).batching.window;
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const ctx = app.context(() => undefined);
        const environment = ctx.environment(opts.env).name;
        // A train ships one service: refuse here rather than when the window is deployed.
        const other = (await app.queue().window(environment))?.entries.find(
          (e) => e.changeset.service !== loaded.changeset.service,
        );
        if (other)
          throw new CutoverError(
            'E_USAGE',
            `${file}: service ${loaded.changeset.service}, but the open window for ${environment} holds ${other.changeset.service} (changeset ${other.changeset.id}); a train deploys one service`,
          );
        const { entry, window } = await app.queue().submit({
          environment,
          changeset: loaded.changeset,
          path: loaded.path,
          base_dir: loaded.baseDir,
          strategy,
          submitted_by: ctx.actor,
          submitted_at: ctx.clock.now().toISOString(),
          window_ms: windowMs,
        });
        printDocument(
          {
            queued: {
              id: entry.id,
              changeset: entry.changeset.id,
              environment,
              window: {
                opened_at: window.opened_at,
                closes_at: window.closes_at,
                length: formatDuration(windowMs),
                changesets: window.entries.map((e) => e.changeset.id),
              },
            },
          },
          format,
        );
      } finally {
        await app.close();
      }
    });
}
