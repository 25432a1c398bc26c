import type { Command } from 'commander';
import { recoverEnvironments } from '../../executor/session/recover-verb.js';
import { openApp, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';

interface RecoverOptions extends SessionFlags {
  env?: string;
  output: string;
}

export function registerRecovery(program: Command): void {
  withSessionOptions(
    program
      .command('recover')
      .description('finish every deploy whose executor died: roll it back (default) or resume it')
      .option('--env <environment>', 'only this environment')
      .option('--output <format>', 'yaml or json', 'yaml'),
  ).action(async (opts: RecoverOptions, cmd: Command) => {
    const format = parseOutputFormat(opts.output);
    const policy = parseSessionFlags(opts);
    const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
    try {
      const { recovered, skippedLocked } = await recoverEnvironments(app.context(progressLine), {
        ...policy,
        environment: opts.env,
      });
      printDocument(
        { recovered, ...(skippedLocked.length ? { skipped_locked: skippedLocked } : {}) },
        format,
      );
      // Recovered means consistent: finished, or rolled back completely (or with nothing to undo).
      const consistent = recovered.every((r) => !r.rollback || r.rollback.status === 'success');
      process.exitCode = consistent && skippedLocked.length === 0 ? 0 : 1;
    } finally {
      await app.close();
    }
  });
}
