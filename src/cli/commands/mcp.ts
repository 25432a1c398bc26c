import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { readDuration } from '../../core/schema/duration.js';
import { claimStdout } from '../../mcp/stdout-guard.js';
import { identityOf } from '../../mcp/token-identity.js';
import { openService } from '../../service/service.js';
import { openApp, type GlobalOptions } from '../app.js';
import { progressLine } from '../output.js';

interface McpFlags {
  allowAnonymous?: boolean;
  grace: string;
}

/** Resolves when the client is gone: stdin ended (how MCP clients close stdio) or a signal. */
function clientGone(): Promise<string> {
  return new Promise((resolve) => {
    process.stdin.once('end', () => resolve('the client closed stdin'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/**
 * `cutover mcp`: the service's operations as MCP tools over stdio, for one caller — CUTOVER_TOKEN's
 * entry of cutover.yaml `tokens:` (README, "cutover mcp"). Deploys run in this process, as in
 * `cutover serve`; when the client goes, running ones get `--grace` to finish, then are left to
 * the recovery of the next command on their environment.
 */
export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('serve cutover as MCP tools over stdio, as the identity of CUTOVER_TOKEN')
    .option('--allow-anonymous', 'with no tokens in cutover.yaml: the caller is you, as admin')
    .option('--grace <duration>', 'when the client goes, how long running deploys get to finish', '30s')
    .action(async (opts: McpFlags, cmd: Command) => {
      // stdout carries the protocol from here on; the token goes no further than this process.
      const protocol = claimStdout();
      const token = process.env.CUTOVER_TOKEN;
      delete process.env.CUTOVER_TOKEN;
      const grace = readDuration(opts.grace, true);
      if (!grace.ok) throw new CutoverError('E_USAGE', `--grace: ${grace.problem}`);
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const app = openApp(globals);
      const closeAll = () => app.close();
      const opened = async () => {
        const who = identityOf({
          token,
          tokens: app.config.tokens,
          allowAnonymous: Boolean(opts.allowAnonymous),
        });
        const openReader = () => openApp(globals, { access: 'read' });
        return { who, service: await openService({ app, openReader, log: progressLine }) };
      };
      const { who, service } = await opened().catch(async (err: unknown) => {
        await closeAll();
        throw err;
      });
      // the MCP SDK is loaded by this command only, not at every command's start
      const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
      const { createMcpServer } = await import('../../mcp/mcp-server.js');
      const server = createMcpServer(service, who, progressLine);
      await server.connect(new StdioServerTransport(process.stdin, protocol)).catch(async (err: unknown) => {
        service.stop();
        await closeAll();
        throw err;
      });
      progressLine(`cutover mcp: serving ${who.name} (${who.role}) over stdio (state ${app.stateDir})`);
      const why = await clientGone();
      progressLine(`cutover mcp: ${why}: stopping; ${service.running()} deploy(s) running`);
      service.stop();
      const settled = await service.settled(grace.ms);
      await server.close();
      if (settled) await service.close();
      if (!settled) {
        progressLine(
          `cutover mcp: ${service.running()} deploy(s) still running after ${opts.grace}: left to the recovery of the next command on their environment`,
        );
        process.exit(1);
      }
      await closeAll();
      progressLine('cutover mcp: stopped');
    });
}
