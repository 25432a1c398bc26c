import type { Command } from 'commander';
import { CutoverError } from '../core/errors.js';
import type { Strategy } from '../core/schema/strategy.js';
import { loadChangeset, loadStrategy, type LoadedChangeset } from '../inputs/load-inputs.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from './session-options.js';

/** The options of `deploy`, which `plan` takes too: a plan is asked exactly as the deploy would be. */
export interface DeployOptions extends SessionFlags {
  changeset?: string[];
  queued?: boolean;
  env: string;
  strategy?: string;
  output: string;
}

/** What the options ask for, the files read and validated. */
export interface DeployArgs {
  /** undefined with --queued and no --strategy: the one the submissions agree on */
  strategy: Strategy | undefined;
  changesets: LoadedChangeset[];
  queued: boolean;
  environment: string;
  session: ReturnType<typeof parseSessionFlags>;
}

/** Adds deploy's options to `command`; `output` is the verb's own (its formats and default). */
export function withDeployOptions(
  command: Command,
  output: { description: string; default: string },
): Command {
  command
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
    .option('--output <format>', output.description, output.default);
  return withSessionOptions(command);
}

/** Checks how the options combine and reads the files; any problem is an input error (exit 2). */
export function readDeployArgs(opts: DeployOptions): DeployArgs {
  const session = parseSessionFlags(opts);
  if (opts.queued && opts.changeset?.length)
    throw new CutoverError('E_USAGE', '--queued and --changeset: give one or the other');
  if (!opts.queued && !opts.changeset?.length)
    throw new CutoverError('E_USAGE', "required option '-c, --changeset <file>' not specified (or --queued)");
  if (!opts.queued && !opts.strategy)
    throw new CutoverError('E_USAGE', "required option '--strategy <mode|file>' not specified");
  const strategy = opts.strategy ? loadStrategy(opts.strategy) : undefined;
  const changesets = (opts.changeset ?? []).map((file) => loadChangeset(file));
  return { strategy, changesets, queued: Boolean(opts.queued), environment: opts.env, session };
}
