import type { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { driveDeploy } from '../../executor/drive-deploy.js';
import { startDeploy } from '../../executor/start-deploy.js';
import { loadChangeset, loadStrategy } from '../../inputs/load-inputs.js';
import { openApp, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';

interface DeployOptions {
  changeset: string[];
  env: string;
  strategy: string;
  output: string;
}

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('run a deploy: preflight, build, push, apply, flag; roll back on failure')
    .requiredOption(
      '-c, --changeset <file>',
      'changeset.yaml to deploy; repeat it to deploy several as one train, in order',
      (v: string, all: string[] | undefined) => [...(all ?? []), v],
    )
    .requiredOption(
      '--env <environment>',
      'target environment (production, staging, or one from cutover.yaml)',
    )
    .requiredOption('--strategy <mode|file>', 'fast-track, canary, manual, or a strategy.yaml')
    .option('--output <format>', 'result format: yaml or json', 'yaml')
    .addHelpText(
      'after',
      '\nExit codes: 0 success (or awaiting approval), 1 deploy failed or rolled back, 2 invalid input.',
    )
    .action(async (opts: DeployOptions, cmd: Command) => {
      const format = parseOutputFormat(opts.output);
      const strategy = loadStrategy(opts.strategy);
      const [loaded, ...more] = opts.changeset.map((file) => loadChangeset(file));
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const ctx = app.context(progressLine);
        const rec = await startDeploy(
          ctx,
          {
            changeset: loaded!.changeset,
            baseDir: loaded!.baseDir,
            more: more.map((m) => ({ changeset: m.changeset, baseDir: m.baseDir })),
            strategy,
            environment: opts.env,
          },
          uuidv7(),
        );
        const req = rec.state.request!;
        progressLine(
          `cutover: deploy ${rec.deployId} — ${req.changeset.service} ${req.tag} → ${req.environment} (${strategy.mode})`,
        );
        const result = await driveDeploy(ctx, rec);
        progressLine(
          result.status === 'success'
            ? `cutover: ${result.version} is live in ${req.apply_environment}${result.approval ? ' — awaiting approval for ' + req.environment : ''}`
            : `cutover: deploy failed at ${result.failed_step}: ${result.reason}${result.rollback ? ` (rollback ${result.rollback.status})` : ''}`,
        );
        printDocument({ deploy_result: result }, format);
        process.exitCode = result.status === 'success' ? 0 : 1;
      } finally {
        await app.close();
      }
    });
}
