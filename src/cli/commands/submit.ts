import type { Command } from 'commander';
import { loadChangeset, loadStrategy } from '../../inputs/load-inputs.js';
import { submitChangeset } from '../../service/submit.js';
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
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const ctx = app.context(() => undefined);
        const queued = await submitChangeset(ctx, loaded, strategy, opts.env, file);
        printDocument({ queued }, format);
      } finally {
        await app.close();
      }
    });
}
