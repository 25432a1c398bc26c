import type { Command } from 'commander';
import { phaseExitCode } from '../../core/deploy-phase.js';
import { runDeploy } from '../../executor/session/deploy-verb.js';
import { openApp, type GlobalOptions } from '../app.js';
import { reportDeployToRuntime } from '../report-deploy.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { readDeployArgs, withDeployOptions, type DeployOptions } from '../deploy-options.js';
import { lazyRequire } from '../../lib/lazy-require.js';

const uuid = lazyRequire<typeof import('uuid')>('uuid');

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
      const args = readDeployArgs(opts);
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const outcome = await runDeploy(app.context(progressLine), {
          ...args,
          ...args.session,
          deployId: uuid().v7(),
        });
        if (!outcome) return;
        const { result, applyEnvironment } = outcome;
        const ok = phaseExitCode(result.state) === 0;
        progressLine(
          ok
            ? `cutover: ${result.version} is live in ${applyEnvironment}${result.state === 'awaiting_approval' ? ` — awaiting approval for ${String(result.approval?.target)}` : ''}`
            : `cutover: deploy failed at ${result.failed_step}: ${result.reason}${result.rollback ? ` (rollback ${result.rollback.status})` : ''}`,
        );
        printDocument({ deploy_result: result }, format);
        await reportDeployToRuntime(app, applyEnvironment, result);
        process.exitCode = ok ? 0 : 1;
      } finally {
        await app.close();
      }
    });
}
