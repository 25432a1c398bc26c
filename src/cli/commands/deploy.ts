import type { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { applyEnvironmentOf } from '../../core/environments.js';
import { CutoverError } from '../../core/errors.js';
import type { DeployResult } from '../../core/schema/result.js';
import { driveDeploy } from '../../executor/drive-deploy.js';
import { startDeploy, type DeployInput } from '../../executor/start-deploy.js';
import { loadChangeset, loadStrategy } from '../../inputs/load-inputs.js';
import { openApp, type GlobalOptions } from '../app.js';
import { withEnvironment } from '../environment-session.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { takeQueuedTrain } from '../queued-train.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';

interface DeployOptions extends SessionFlags {
  changeset?: string[];
  queued?: boolean;
  env: string;
  strategy?: string;
  output: string;
}

export function registerDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .description('run a deploy: preflight, build, push, apply, flag; roll back on failure')
    .option(
      '-c, --changeset <file>',
      'changeset.yaml to deploy; repeat it to deploy several as one train, in order',
      (v: string, all: string[] | undefined) => [...(all ?? []), v],
    )
    .option('--queued', 'deploy the changesets submitted in the current batching window, as one train')
    .requiredOption(
      '--env <environment>',
      'target environment (production, staging, or one from cutover.yaml)',
    )
    .option('--strategy <mode|file>', 'fast-track, canary, manual, or a strategy.yaml (required with -c)')
    .option('--output <format>', 'result format: yaml or json', 'yaml');
  withSessionOptions(command)
    .addHelpText(
      'after',
      '\nExit codes: 0 success (or awaiting approval), 1 deploy failed or rolled back, 2 invalid input.',
    )
    .action(async (opts: DeployOptions, cmd: Command) => {
      const format = parseOutputFormat(opts.output);
      const session = parseSessionFlags(opts);
      if (opts.queued && opts.changeset?.length)
        throw new CutoverError('E_USAGE', '--queued and --changeset: give one or the other');
      if (!opts.queued && !opts.changeset?.length)
        throw new CutoverError(
          'E_USAGE',
          "required option '-c, --changeset <file>' not specified (or --queued)",
        );
      if (!opts.queued && !opts.strategy)
        throw new CutoverError('E_USAGE', "required option '--strategy <mode|file>' not specified");
      const strategy = opts.strategy ? loadStrategy(opts.strategy) : undefined;
      const loaded = (opts.changeset ?? []).map((file) => loadChangeset(file));
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const ctx = app.context(progressLine);
        const env = ctx.environment(opts.env);
        const applyTo = strategy ? applyEnvironmentOf(env, strategy.mode) : env.name;
        const deployId = uuidv7();
        const result = await withEnvironment(
          app,
          ctx,
          applyTo,
          { ...session, command: 'deploy', reason: `deploy to ${env.name}`, deployId },
          async ({ lock }): Promise<DeployResult | undefined> => {
            let input: DeployInput;
            if (opts.queued) {
              const train = await takeQueuedTrain(app, ctx, env.name, strategy, deployId);
              if (!train) return undefined;
              input = train;
            } else {
              const [first, ...more] = loaded;
              input = { ...first!, more, strategy: strategy!, environment: env.name };
            }
            const rec = await startDeploy(ctx, input, deployId).catch(async (err: unknown) => {
              if (opts.queued) await app.queue().unclaim(deployId);
              throw err;
            });
            await lock.setDeploy(deployId);
            const req = rec.state.request!;
            const what = req.train
              ? `a train of ${req.train.length} changesets`
              : `${req.changeset.service} ${req.tag}`;
            progressLine(`cutover: deploy ${deployId} — ${what} → ${req.environment} (${req.strategy.mode})`);
            return driveDeploy(ctx, rec);
          },
        );
        if (!result) return;
        progressLine(
          result.status === 'success'
            ? `cutover: ${result.version} is live in ${applyTo}${result.approval ? ' — awaiting approval for ' + env.name : ''}`
            : `cutover: deploy failed at ${result.failed_step}: ${result.reason}${result.rollback ? ` (rollback ${result.rollback.status})` : ''}`,
        );
        printDocument({ deploy_result: result }, format);
        process.exitCode = result.status === 'success' ? 0 : 1;
      } finally {
        await app.close();
      }
    });
}
