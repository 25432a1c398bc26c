import type { Command } from 'commander';
import { requireDeploy } from '../../executor/require-deploy.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { summarizeEvent } from '../summarize-event.js';
import { CutoverError } from '../../core/errors.js';
import { phaseExitCode } from '../../core/deploy-phase.js';
import { watchDeploy } from '../watch-deploy.js';
import { listDeploys, readDeploy } from '../../service/deploy-reads.js';
import { withApp } from '../with-app.js';

export function registerLog(program: Command): void {
  program
    .command('log <deploy-id>')
    .description("print a deploy's journal, event by event (an id prefix is enough)")
    .option('--output <format>', 'text, yaml or json', 'text')
    .action((id: string, opts: { output: string }, cmd: Command) =>
      withApp(cmd, 'read', async (app) => {
        const journal = app.journal();
        const rows = await journal.rows(await requireDeploy(journal, id));
        if (opts.output !== 'text') return printDocument(rows, parseOutputFormat(opts.output));
        for (const r of rows)
          process.stdout.write(
            `${String(r.seq).padStart(3)}  ${r.at}  ${r.event.type.padEnd(17)} ${summarizeEvent(r.event)}\n`,
          );
      }),
    );
}

export function registerStatus(program: Command): void {
  program
    .command('status [deploy-id]')
    .description('list deploys with their state, or show one deploy as its deploy_result')
    .option('--env <environment>', 'only deploys to this environment')
    .option('--output <format>', 'yaml or json (default: a table for the list, yaml for one deploy)')
    .option(
      '--watch',
      "follow the deploy's events as they are journaled until it settles, then print its result",
    )
    .action(
      (id: string | undefined, opts: { env?: string; output?: string; watch?: boolean }, cmd: Command) => {
        const format = parseOutputFormat(opts.output ?? 'yaml');
        if (opts.watch && id === undefined)
          throw new CutoverError('E_USAGE', '--watch: name the deploy to watch');
        return withApp(cmd, 'read', async (app) => {
          if (opts.watch && id !== undefined) {
            const result = await watchDeploy(app, id, (text) => process.stderr.write(`${text}\n`));
            printDocument({ deploy_result: result }, format);
            process.exitCode = phaseExitCode(result.state);
            return;
          }
          if (id === undefined) {
            const { deploys } = await listDeploys(
              app,
              opts.env === undefined ? {} : { environment: opts.env },
            );
            if (opts.output) return printDocument(deploys, format);
            if (deploys.length === 0) process.stdout.write('no deploys yet\n');
            // One write: a long history is one table, not a write per line.
            const table = deploys.map(
              (d) =>
                `${d.deploy_id}  ${d.environment.padEnd(11)} ${d.state.padEnd(17)} ${d.last_type.padEnd(17)} ${d.last_at}\n`,
            );
            if (table.length > 0) process.stdout.write(table.join(''));
            return;
          }
          printDocument({ deploy_result: (await readDeploy(app, id)).result }, format);
        });
      },
    );
}
