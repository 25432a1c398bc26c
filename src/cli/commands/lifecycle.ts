import type { Command } from 'commander';
import { phaseExitCode } from '../../core/deploy-phase.js';
import { CutoverError } from '../../core/errors.js';
import type { DeployResult } from '../../core/schema/result.js';
import { runFollowUp, type FollowUp } from '../../executor/session/follow-up-verbs.js';
import { loadStrategy } from '../../inputs/load-inputs.js';
import { openApp, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';
import { lazyRequire } from '../../lib/lazy-require.js';

const uuid = lazyRequire<typeof import('uuid')>('uuid');

interface Opts extends SessionFlags {
  output: string;
  by?: string;
  strategy?: string;
  reason?: string;
  force?: boolean;
}

/**
 * Runs one verb on the deploy `id` names (see runFollowUp), prints the result and sets the exit
 * code: 0 when nothing failed (success, paused, awaiting approval), or as `worked` judges.
 */
async function withDeploy(
  cmd: Command,
  id: string,
  opts: Opts,
  followUp: () => FollowUp,
  worked: (result: DeployResult) => boolean = (result) => phaseExitCode(result.state) === 0,
) {
  const format = parseOutputFormat(opts.output);
  const policy = parseSessionFlags(opts);
  const asked = followUp();
  const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
  try {
    const ctx = app.context(progressLine);
    if (opts.by) ctx.actor = opts.by;
    const { deployId, result } = await runFollowUp(ctx, id, asked, policy);
    if (asked.verb === 'reject') process.stdout.write(`deploy ${deployId} rejected by ${ctx.actor}\n`);
    if (!result) return;
    printDocument({ deploy_result: result }, format);
    process.exitCode = worked(result) ? 0 : 1;
  } finally {
    await app.close();
  }
}

function approveStrategy(mode: string | undefined): FollowUp {
  if (mode !== 'fast-track' && mode !== 'canary')
    throw new CutoverError('E_USAGE', `--strategy: must be fast-track or canary, got "${mode}"`);
  return { verb: 'approve', strategy: loadStrategy(mode), newDeployId: uuid().v7() };
}

export function registerLifecycle(program: Command): void {
  withSessionOptions(program.command('promote <deploy-id>'))
    .description('move a canary left at a step to 100 % and retire the old version')
    .option('--output <format>', 'yaml or json', 'yaml')
    .option('--by <who>', 'who promotes (default: the OS user)')
    .action((id: string, o: Opts, cmd: Command) => withDeploy(cmd, id, o, () => ({ verb: 'promote' })));
  withSessionOptions(program.command('abort <deploy-id>'))
    .description('roll a canary back: traffic, flag and running versions as before the deploy')
    .option('--output <format>', 'yaml or json', 'yaml')
    .option('--by <who>', 'who aborts (default: the OS user)')
    .option('--reason <text>', 'why, for the journal', 'aborted by operator')
    .action((id: string, o: Opts, cmd: Command) =>
      withDeploy(cmd, id, o, () => ({ verb: 'abort', reason: o.reason! })),
    );
  withSessionOptions(program.command('approve <deploy-id>'))
    .description('ship the digest a manual deploy put on staging to its target environment (never a rebuild)')
    .option('--strategy <mode>', 'fast-track or canary', 'fast-track')
    .option('--by <who>', 'who approves (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts, cmd: Command) => withDeploy(cmd, id, o, () => approveStrategy(o.strategy)));
  withSessionOptions(program.command('reject <deploy-id>'))
    .description('close a manual deploy awaiting approval without shipping it')
    .option('--by <who>', 'who rejects (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts, cmd: Command) => withDeploy(cmd, id, o, () => ({ verb: 'reject' })));
  withSessionOptions(program.command('rollback <deploy-id>'))
    .description('put the environment back as it was before a finished deploy: versions, weights, flags')
    .option('--force', 'even if a later deploy (or someone else) changed the environment since')
    .option('--reason <text>', 'why, for the journal', 'rolled back by operator')
    .option('--by <who>', 'who rolls back (default: the OS user)')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((id: string, o: Opts, cmd: Command) =>
      withDeploy(
        cmd,
        id,
        o,
        () => ({ verb: 'rollback', reason: o.reason!, force: o.force ?? false }),
        // the verb worked when the rollback did, though the deploy now reads failed
        (r) => r.rollback?.status === 'success',
      ),
    );
}
