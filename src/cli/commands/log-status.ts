import type { Command } from 'commander';
import { foldEvents } from '../../core/fold-deploy.js';
import { deployPhase } from '../../core/deploy-phase.js';
import type { DeployState } from '../../core/deploy-state.js';
import { buildResult } from '../../core/result.js';
import { requireDeploy } from '../../executor/require-deploy.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { summarizeEvent } from '../summarize-event.js';
import { lockedEnvironments } from './lock.js';
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
    .action((id: string | undefined, opts: { env?: string; output?: string }, cmd: Command) => {
      const format = parseOutputFormat(opts.output ?? 'yaml');
      return withApp(cmd, 'read', async (app) => {
        const journal = app.journal();
        const locked = await lockedEnvironments(app);
        const alive = (s: DeployState) => locked.has(s.request.apply_environment);
        if (id === undefined) {
          const deploys = [];
          for (const d of await journal.deploys(opts.env)) {
            const state = foldEvents(d.deploy_id, await journal.rows(d.deploy_id));
            deploys.push({ ...d, state: deployPhase(state, alive(state)) });
          }
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
        const deployId = await requireDeploy(journal, id);
        const rows = await journal.rows(deployId);
        const state = foldEvents(deployId, rows);
        printDocument({ deploy_result: buildResult(state, rows, alive(state)) }, format);
      });
    });
}
