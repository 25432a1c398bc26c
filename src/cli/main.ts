#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { isCutoverError, toCutoverError } from '../core/errors.js';
import { fromCommander, inputErrorLines } from './error-lines.js';
import { registerAudit } from './commands/audit.js';
import { registerDeploy } from './commands/deploy.js';
import { registerPlan } from './commands/plan.js';
import { registerRecovery } from './commands/recovery.js';
import { registerSubmit } from './commands/submit.js';
import { registerFlags } from './commands/flags.js';
import { registerHosts } from './commands/hosts.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerLock } from './commands/lock.js';
import { registerLog, registerStatus } from './commands/log-status.js';
import { registerLogs } from './commands/logs.js';
import { registerMcp } from './commands/mcp.js';
import { registerNotify } from './commands/notify.js';
import { registerRuntime } from './commands/runtime.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';
import { registerState } from './commands/state.js';

const VERSION = '0.1.0';
const EXIT_INPUT = 2;
const EXIT_FAILED = 1;

function buildProgram(): Command {
  const program = new Command('cutover')
    .description('Deploy executor: preflight, build, push, apply, flag, observe, roll back — all journaled.')
    .addOption(
      new Option('--state-dir <dir>', 'where cutover keeps everything it writes').env('CUTOVER_STATE_DIR'),
    )
    .option('--config <file>', 'cutover.yaml to use (default: ./cutover.yaml if present)')
    .option('--verbose', 'on error, print the cause chain')
    .exitOverride()
    // report() prints commander's usage errors too, as one `cutover: E_USAGE: …` line
    .configureOutput({ outputError: () => undefined });
  registerDeploy(program);
  registerPlan(program);
  registerSubmit(program);
  registerRecovery(program);
  registerLifecycle(program);
  registerStatus(program);
  registerLog(program);
  registerLogs(program);
  registerAudit(program);
  registerFlags(program);
  registerLock(program);
  registerNotify(program);
  registerRuntime(program);
  registerHosts(program);
  registerSchema(program);
  registerState(program);
  registerServe(program);
  registerMcp(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/** The one place errors become exit codes: 2 for bad input or usage, 1 for a failed operation. */
function report(err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return 0;
    err = fromCommander(err);
  }
  const error = toCutoverError(err);
  const lines = error.isInputError ? inputErrorLines(error) : [`cutover: ${error.code}: ${error.message}`];
  process.stderr.write(`${lines.join('\n')}\n`);
  if (verbose) {
    let cause: unknown = error.cause;
    while (cause) {
      process.stderr.write(
        `  caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`,
      );
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  } else if (!isCutoverError(err)) {
    process.stderr.write('  (an unexpected error: run with --verbose for details)\n');
  }
  return error.isInputError ? EXIT_INPUT : EXIT_FAILED;
}

/**
 * `cutover --version` is answered here rather than by commander's .version(), which would claim
 * `--version` after every verb too, and `cutover logs` takes `--version <tag>`.
 */
async function main(argv: string[]): Promise<void> {
  if (argv[2] === '--version' || argv[2] === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err, Boolean(program.opts().verbose));
  }
}

await main(process.argv);
