import type { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { CutoverError } from '../../core/errors.js';
import type { DeployResult } from '../../core/schema/result.js';
import type { ExecutorContext } from '../../executor/context.js';
import { abortCanary, approveManual, promoteCanary, rejectManual } from '../../executor/follow-ups.js';
import { rollbackDeploy } from '../../executor/rollback-deploy.js';
import { requireDeploy } from './log-status.js';
import { loadStrategy } from '../../inputs/load-inputs.js';
import { openApp, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { withEnvironment } from '../environment-session.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';
import { foldEvents } from '../../core/fold-deploy.js';

interface Opts extends SessionFlags {
  output: string;
  by?: string;
  strategy?: string;
  reason?: string;
}

/**
 * Opens the app, resolves the deploy id prefix, takes the lock of the environment the verb
 * changes (`target`: the deploy's own, or for approve the one it waits to ship to), runs `act`,
 * prints the result and sets the exit code.
 */
async function withDeploy(
  cmd: Command,
  id: string,
  opts: Opts,
  act: (ctx: ExecutorContext, deployId: string) => Promise<DeployResult | void>,
  how: {
    /** the environment to lock: the deploy's own, or (approve) the one it waits to ship to */
    target?: 'apply' | 'target';
    /** rollback: the verb worked when the rollback did, though the deploy now reads failed */
    worked?: (result: DeployResult) => boolean;
    afterFailedRecovery?: boolean;
  } = {},
) {
  const format = parseOutputFormat(opts.output);
  const session = parseSessionFlags(opts);
  const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
  try {
    const ctx = app.context(progressLine);
    if (opts.by) ctx.actor = opts.by;
    const deployId = await requireDeploy(app.journal(), id);
    const req = foldEvents(deployId, await app.journal().rows(deployId)).request!;
    const environment = how.target === 'target' ? req.environment : req.apply_environment;
    const verb = cmd.name();
    const result = await withEnvironment(
      app,
      ctx,
      environment,
      {
        ...session,
        command: verb,
        reason: `${verb} ${deployId}`,
        deployId,
        afterFailedRecovery: how.afterFailedRecovery ?? false,
      },
      () => act(ctx, deployId),
    );
    if (!result) return;
    printDocument({ deploy_result: result }, format);
    process.exitCode = (how.worked?.(result) ?? result.status === 'success') ? 0 : 1;
  } finally {
    await app.close();
  }
}

export function registerLifecycle(program: Command): void {
  withSessionOptions(program.command('promote <deploy-id>'))
    .description('move a canary left at a step to 100 % and retire the old version')
    .option('--output <format>', 'yaml or json', 'yaml')
    .option('--by <who>', 'who promotes (default: the OS user)')
    .action((id: string, o: Opts, cmd: Command) => withDeploy(cmd, id, o, (ctx, d) => promoteCanary(ctx, d)));
  withSessionOptions(program.command('abort <deploy-id>'))
    .description('roll a canary back: traffic, flag and running versions as before the deploy')
    .option('--output <format>', 'yaml or json', 'yaml')
    .option('--by <who>', 'who aborts (default: the OS user)')
    .option('--reason <text>', 'why, for the journal', 'aborted by operator')
    .action((id: string, o: Opts, cmd: Command) =>
      withDeploy(cmd, id, o, (ctx, d) => abortCanary(ctx, d, o.reason!)),
    );
  withSessionOptions(program.command('approve <deploy-id>'))
    .description('ship the digest a manual deploy put on staging to its target environment (never a rebuild)')
    .option('--strategy <mode>', 'fast-track or canary', 'fast-track')
    .option('--by <who>', 'who approves (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts, cmd: Command) =>
      withDeploy(
        cmd,
        id,
        o,
        (ctx, d) => {
          if (o.strategy !== 'fast-track' && o.strategy !== 'canary') {
            throw new CutoverError(
              'E_USAGE',
              `--strategy: must be fast-track or canary, got "${o.strategy}"`,
            );
          }
          return approveManual(ctx, d, o.strategy, uuidv7(), (mode) => loadStrategy(mode));
        },
        { target: 'target' },
      ),
    );
  withSessionOptions(program.command('reject <deploy-id>'))
    .description('close a manual deploy awaiting approval without shipping it')
    .option('--by <who>', 'who rejects (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts, cmd: Command) =>
      withDeploy(cmd, id, o, async (ctx, d) => {
        await rejectManual(ctx, d);
        process.stdout.write(`deploy ${d} rejected by ${ctx.actor}\n`);
      }),
    );
  withSessionOptions(program.command('rollback <deploy-id>'))
    .description('put the environment back as it was before a finished deploy: versions, weights, flags')
    .option('--force', 'even if a later deploy (or someone else) changed the environment since')
    .option('--reason <text>', 'why, for the journal', 'rolled back by operator')
    .option('--by <who>', 'who rolls back (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts & { force?: boolean }, cmd: Command) =>
      withDeploy(
        cmd,
        id,
        o,
        (ctx, d) => rollbackDeploy(ctx, d, { reason: o.reason!, force: o.force ?? false }),
        // rollback is also how a failed rollback is finished, so it acts on such an environment
        { worked: (r) => r.rollback?.status === 'success', afterFailedRecovery: true },
      ),
    );
}
