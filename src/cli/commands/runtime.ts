import type { Command } from 'commander';
import { resolve } from 'node:path';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../runtime/client/daemon-control.js';
import type { GlobalOptions } from '../app.js';
import { printDocument } from '../output.js';

function stateDirOf(cmd: Command): string {
  return resolve(cmd.optsWithGlobals<GlobalOptions>().stateDir ?? '.cutover');
}

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
    .action(async (_o: unknown, cmd: Command) => {
      await ensureDaemon(stateDirOf(cmd));
      const status = await daemonStatus(stateDirOf(cmd));
      const routers = status.router_pids?.length ?? 0;
      process.stdout.write(`runtime running (pid ${status.pid}; ${routers} router process(es) beside it)\n`);
    });
  runtime
    .command('stop')
    .description('drain and stop every version, then the daemon')
    .action(async (_o: unknown, cmd: Command) => {
      const stopped = await stopDaemon(stateDirOf(cmd));
      process.stdout.write(stopped ? 'runtime stopped\n' : 'runtime was not running\n');
    });
  runtime
    .command('status')
    .description('show environments, versions, weights and every process the runtime started')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action(async (o: { output: string }, cmd: Command) => {
      const status = await daemonStatus(stateDirOf(cmd));
      printDocument(status, o.output === 'json' ? 'json' : 'yaml');
    });
}
