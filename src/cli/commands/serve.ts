import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { readDuration } from '../../core/schema/duration.js';
import { parseListen } from '../../server/listen-address.js';
import { openApp, type GlobalOptions } from '../app.js';
import { progressLine } from '../output.js';

interface ServeFlags {
  listen: string;
  allowAnonymous?: boolean;
  grace: string;
}

/**
 * `cutover serve`: the HTTP API on one state, beside the CLI (docs/architecture.md#cutover-serve).
 * SIGTERM or SIGINT stops it: no new request, the event streams end, running deploys get `--grace`
 * to finish; one still running then is left as a killed executor leaves it, for the recovery the
 * next command on its environment runs (its lock expires, its journal says where it was).
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (deploys, approvals, events over SSE) on this state')
    .option('--listen <host:port>', 'where to listen', '127.0.0.1:7070')
    .option(
      '--allow-anonymous',
      'with no tokens in cutover.yaml, on loopback only: every caller is you, as admin',
    )
    .option('--grace <duration>', 'on SIGTERM, how long running deploys get to finish', '30s')
    .action(async (opts: ServeFlags, cmd: Command) => {
      const listen = parseListen(opts.listen);
      const grace = readDuration(opts.grace, true);
      if (!grace.ok) throw new CutoverError('E_USAGE', `--grace: ${grace.problem}`);
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const app = openApp(globals);
      // hono is loaded by this command only, not at every command's start (scripts/bundle-cli.mjs)
      const { startServer } = await import('../../server/serve.js');
      const server = await startServer({
        app,
        openReader: () => openApp(globals, { access: 'read' }),
        listen,
        allowAnonymous: Boolean(opts.allowAnonymous),
        log: progressLine,
      }).catch(async (err: unknown) => {
        await app.close();
        throw err;
      });
      progressLine(`cutover serve: listening on ${server.url} (state ${app.stateDir})`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      progressLine(`cutover serve: ${signal}: stopping; ${server.service.running()} deploy(s) running`);
      const { unfinished } = await server.close(grace.ms);
      if (unfinished > 0) {
        progressLine(
          `cutover serve: ${unfinished} deploy(s) still running after ${opts.grace}: left to the recovery of the next command on their environment`,
        );
        process.exit(1);
      }
      await app.close();
      progressLine('cutover serve: stopped');
    });
}
