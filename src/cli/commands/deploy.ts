import type { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { applyEnvironmentOf } from '../../core/environments.js';
import type { DeployResult } from '../../core/schema/result.js';
import { driveDeploy } from '../../executor/drive-deploy.js';
import { startDeploy, type DeployInput } from '../../executor/start-deploy.js';
import { openApp, type GlobalOptions } from '../app.js';
import { withEnvironment } from '../environment-session.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { takeQueuedTrain } from '../queued-train.js';
import { readDeployArgs, withDeployOptions, type DeployOptions } from '../deploy-options.js';

export function registerDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .description('run a deploy: preflight, build, push, apply, flag; roll back on failure');
  withDeployOptions(command, { description: 'result format: yaml or json', default: 'yaml' })
    .addHelpText(
      'after',
      '\nExit codes: 0 success (or awaiting approval), 1 deploy failed or rolled back, 2 invalid input.',
    )
    .action(async (opts: DeployOptions, cmd: Command) => {
      const format = parseOutputFormat(opts.output);
      const { strategy, changesets: loaded, session } = readDeployArgs(opts);
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
