import { hostname } from 'node:os';
import type { Command } from 'commander';
import { describeHolder, goneReason, isProcessAlive } from '../../adapters/lock/lock-row.js';
import { applyEnvironmentOf } from '../../core/environments.js';
import { CutoverError } from '../../core/errors.js';
import { planDeploy } from '../../core/plan/plan-deploy.js';
import { formatDuration } from '../../core/schema/duration.js';
import type { DeployInput } from '../../executor/deploy-request.js';
import { gatherPlanInput } from '../../executor/gather-plan.js';
import type { App } from '../app.js';
import { readDeployArgs, withDeployOptions, type DeployArgs, type DeployOptions } from '../deploy-options.js';
import { printDocument, progressLine } from '../output.js';
import { formatPlan } from '../plan-text.js';
import { queuedTrainInput } from '../../executor/session/queued-train.js';
import { withApp } from '../with-app.js';

function parsePlanFormat(value: string): 'text' | 'yaml' | 'json' {
  if (value === 'text' || value === 'yaml' || value === 'json') return value;
  throw new CutoverError('E_USAGE', `--output: must be text, yaml or json, got "${value}"`);
}

/** The deploy's input as `deploy` would make it; undefined when --queued finds nothing queued. */
async function inputOf(app: App, args: DeployArgs, environment: string): Promise<DeployInput | undefined> {
  if (!args.queued) {
    const [first, ...more] = args.changesets;
    return { ...first!, more, strategy: args.strategy!, environment };
  }
  const window = await app.queue().window(environment);
  return window && queuedTrainInput(window, args.strategy, environment);
}

/** A live holder of the lock makes a deploy fail or wait: said, not acted on. */
async function lockNotes(app: App, environment: string, waitMs: number): Promise<string[]> {
  const now = new Date();
  const live = (await app.locks().status(environment)).filter(
    (info) => !goneReason(info, now, { hostname: hostname(), isProcessAlive }),
  );
  const then = waitMs > 0 ? `wait up to ${formatDuration(waitMs)} for it` : 'fail at once with E_LOCK_HELD';
  return live.map(
    (info) => `${environment} is locked by ${describeHolder(info)}: a deploy now would ${then}`,
  );
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
        const env = ctx.environment(args.environment);
        const input = await inputOf(app, args, env.name);
        if (!input) {
          progressLine(`cutover: nothing is queued for ${env.name}`);
          return;
        }
        const applyTo = applyEnvironmentOf(env, input.strategy.mode);
        const before = await lockNotes(app, applyTo, args.session.waitMs);
        const plan = planDeploy(
          await gatherPlanInput(ctx, input, { onInterrupted: args.session.onInterrupted, before }),
        );
        if (format === 'text') process.stdout.write(formatPlan(plan));
        else printDocument({ plan }, format);
        process.exitCode = plan.would_start ? 0 : 1;
      });
    });
}
