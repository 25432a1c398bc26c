import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { planOf } from '../../service/plan.js';
import { readDeployArgs, withDeployOptions, type DeployOptions } from '../deploy-options.js';
import { printDocument, progressLine } from '../output.js';
import { formatPlan } from '../plan-text.js';
import { withApp } from '../with-app.js';
function parsePlanFormat(value: string): 'text' | 'yaml' | 'json' {
  if (value === 'text' || value === 'yaml' || value === 'json') return value;
  throw new CutoverError('E_USAGE', `--output: must be text, yaml or json, got "${value}"`);
}

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description('show the timeline deploy would follow with the same arguments; changes nothing');
  withDeployOptions(command, { description: 'text (for people), yaml or json', default: 'text' })
    .addHelpText(
      'after',
      '\nExit codes: 0 the deploy would start, 1 preflight would abort it, 2 invalid input.',
    )
    .action(async (opts: DeployOptions, cmd: Command) => {
      const format = parsePlanFormat(opts.output);
      const args = readDeployArgs(opts);
      // A reading app: snapshots of the state dir's files, no journal append, no daemon started.
      await withApp(cmd, 'read', async (app) => {
        const ctx = app.context(progressLine);
        const plan = await planOf(ctx, { ...args, ...args.session });
        if (!plan) {
          progressLine(`cutover: nothing is queued for ${ctx.environment(args.environment).name}`);
          return;
        }
        if (format === 'text') process.stdout.write(formatPlan(plan));
        else printDocument({ plan }, format);
        process.exitCode = plan.would_start ? 0 : 1;
      });
    });
}
