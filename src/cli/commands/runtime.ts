import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { resolveEnvironment } from '../../core/environments.js';
import { loadConfig } from '../../inputs/load-inputs.js';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../runtime/client/daemon-control.js';
import type { GlobalOptions } from '../app.js';
import { printDocument } from '../output.js';
import { runtimeDirOf } from '../runtime-dir.js';

/**
 * The state dir, and the daemon's directory: with `--env`, that environment's
 * `target.runtime_dir` from cutover.yaml (when it names one); otherwise the state dir's.
 */
function placeOf(cmd: Command): [stateDir: string, runtimeDir: string | undefined] {
  const options = cmd.optsWithGlobals<GlobalOptions & { env?: string }>();
  const stateDir = resolve(options.stateDir ?? '.cutover');
  if (options.env === undefined) return [stateDir, undefined];
  const { config, path } = loadConfig(options.config);
  return [
    stateDir,
    runtimeDirOf(resolveEnvironment(config, options.env), path ? dirname(path) : process.cwd()),
  ];
}

const ENV_OPTION = [
  '--env <environment>',
  "the runtime of this environment's target (its target.runtime_dir in cutover.yaml)",
] as const;

export function registerRuntime(program: Command): void {
  const runtime = program
    .command('runtime')
    .description('the local runtime daemon: routers and version processes (started by deploy when needed)')
    .addHelpText(
      'after',
      '\nEnvironment:\n' +
        '  CUTOVER_ROUTER_PROCESSES  processes accepting on each router port, the daemon included:\n' +
        '                            1 to 64, default one per core up to 8; read when the daemon starts\n',
    );
  runtime
    .command('start')
    .description('start the daemon in the background (no-op when it runs)')
    .option(...ENV_OPTION)
    .action(async (_o: unknown, cmd: Command) => {
      const client = await ensureDaemon(...placeOf(cmd));
      // cutover.yaml's runtime.metrics_listen, as a deploy would ask for it
      const { config } = loadConfig(cmd.optsWithGlobals<GlobalOptions>().config);
      await client.setMetricsListen(config.runtime.metrics_listen ?? null);
      const status = await daemonStatus(...placeOf(cmd));
      const routers = status.router_pids?.length ?? 0;
      process.stdout.write(`runtime running (pid ${status.pid}; ${routers} router process(es) beside it)\n`);
    });
  runtime
    .command('stop')
    .description('drain and stop every version, then the daemon')
    .option(...ENV_OPTION)
    .action(async (_o: unknown, cmd: Command) => {
      const stopped = await stopDaemon(...placeOf(cmd));
      process.stdout.write(stopped ? 'runtime stopped\n' : 'runtime was not running\n');
    });
  runtime
    .command('status')
    .description('show environments, versions, weights and every process the runtime started')
    .option('--output <format>', 'yaml or json', 'yaml')
    .option(...ENV_OPTION)
    .action(async (o: { output: string }, cmd: Command) => {
      const status = await daemonStatus(...placeOf(cmd));
      printDocument(status, o.output === 'json' ? 'json' : 'yaml');
    });
}
