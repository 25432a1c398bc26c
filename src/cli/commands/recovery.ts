import type { Command } from 'commander';
import { dueDeadline } from '../../core/deadlines.js';
import { decide } from '../../core/decider.js';
import { foldEvents } from '../../core/fold-deploy.js';
import { CutoverError } from '../../core/errors.js';
import { openApp, type GlobalOptions } from '../app.js';
import { recoverEnvironment, withEnvironment } from '../environment-session.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';

interface RecoverOptions extends SessionFlags {
  env?: string;
  output: string;
}

/** Environments where a deploy has work left or a deadline due: where `recover` without --env looks. */
async function environmentsToRecover(app: ReturnType<typeof openApp>, now: Date): Promise<string[]> {
  const journal = app.journal();
  const found = new Set<string>();
  for (const d of await journal.deploys()) {
    if (d.last_type === 'DEPLOY_FAILED') continue;
    const state = foldEvents(d.deploy_id, await journal.rows(d.deploy_id));
    const req = state.request;
    if (!req) continue;
    if (decide(state).kind !== 'done') found.add(req.apply_environment);
    const due = dueDeadline(state, now);
    if (due) found.add(due.name === 'approval' ? req.environment : req.apply_environment);
  }
  return [...found].sort();
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
    const session = parseSessionFlags(opts);
    const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
    try {
      const ctx = app.context(progressLine);
      const environments = opts.env
        ? [ctx.environment(opts.env).name]
        : await environmentsToRecover(app, ctx.clock.now());
      const results = [];
      const busy: string[] = [];
      for (const environment of environments) {
        // withEnvironment recovers before it acts; recovering again inside finds nothing left.
        const recovered = await withEnvironment(
          app,
          ctx,
          environment,
          {
            ...session,
            command: 'recover',
            reason: 'recover interrupted deploys',
            afterFailedRecovery: true,
          },
          async ({ recovered }) => [
            ...recovered,
            ...(await recoverEnvironment(ctx, environment, session.onInterrupted)),
          ],
        ).catch((err: unknown) => {
          // A live holder is running a deploy there: nothing to recover; say so and go on.
          if (!(err instanceof CutoverError) || err.code !== 'E_LOCK_HELD' || opts.env) throw err;
          progressLine(`cutover: ${err.message}; skipped`);
          busy.push(environment);
          return [];
        });
        results.push(...recovered);
      }
      if (results.length === 0 && busy.length === 0) progressLine('cutover: nothing to recover');
      printDocument({ recovered: results, ...(busy.length ? { skipped_locked: busy } : {}) }, format);
      // Recovered means consistent: finished, or rolled back completely (or with nothing to undo).
      const consistent = results.every((r) => !r.rollback || r.rollback.status === 'success');
      process.exitCode = consistent && busy.length === 0 ? 0 : 1;
    } finally {
      await app.close();
    }
  });
}
