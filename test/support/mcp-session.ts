import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse, stringify } from 'yaml';
import { CLI } from './cli.js';
import { makeProject } from './project.js';
import { NAMES, TOKENS } from './serve-project.js';
import { tokenHash } from './serve-process.js';

/** A project with flag ff-shop, a token per role (serve-project.ts's), four eyes in production. */
export async function makeMcpProject() {
  const tokens = (Object.keys(TOKENS) as Array<keyof typeof TOKENS>).map((role) => ({
    name: NAMES[role],
    role,
    token_sha256: tokenHash(TOKENS[role]),
  }));
  const project = await makeProject({ tokens });
  const path = join(project.dir, 'cutover.yaml');
  const config = parse(readFileSync(path, 'utf8'));
  config.environments.production.four_eyes = true;
  writeFileSync(path, stringify(config));
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  return project;
}

/** A tool call's answer as the tests read it: its JSON document, or its error text. */
export interface ToolAnswer {
  isError: boolean;
  text: string;
  doc: any;
}

/**
 * The built `cutover mcp` run by the SDK's own client over stdio, as an MCP host runs it, with
 * `token` as CUTOVER_TOKEN. Protocol errors the client meets (a stray line on stdout) are kept.
 */
export async function connectMcp(project: { dir: string; stateDir: string }, token: string) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    cwd: project.dir,
    env: { CUTOVER_TOKEN: token, CUTOVER_STATE_DIR: project.stateDir },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'cutover-e2e', version: '1.0.0' });
  const protocolErrors: Error[] = [];
  client.onerror = (err) => protocolErrors.push(err);
  await client.connect(transport);
  return {
    client,
    pid: transport.pid!,
    stderr: () => stderr,
    protocolErrors,
    async call(name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
      const result = await client.callTool({ name, arguments: args });
      const text = (result.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');
      return { isError: Boolean(result.isError), text, doc: result.structuredContent };
    },
    close: () => client.close(),
  };
}

export type McpSession = Awaited<ReturnType<typeof connectMcp>>;
