import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { isCutoverError, toCutoverError } from '../core/errors.js';
import type { Identity } from '../service/identity.js';
import type { Service } from '../service/service.js';
import { jsonSchemaOf, toolInputs, toolOutputs, type ToolName } from './tool-schemas.js';
import { TOOLS } from './tools.js';

const INSTRUCTIONS = `cutover deploys changesets (changeset.yaml files on this machine) to environments and journals every step.
Start with plan, then deploy; deploy answers a deploy_id at once: poll status until deploy_result.state is not "running".
A refused call is a tool error starting with its code (E_FORBIDDEN: your role; E_INVALID_INPUT: names the field; E_LOCK_HELD: another deploy holds the environment).`;

/** tools/list: every tool with its input (and output) JSON Schema from the service's zod schemas. */
function listTools() {
  return (Object.keys(TOOLS) as ToolName[]).map((name) => {
    const output = toolOutputs[name];
    return {
      name,
      description: TOOLS[name].description,
      inputSchema: jsonSchemaOf(toolInputs[name], 'input'),
      ...(output ? { outputSchema: jsonSchemaOf(output, 'output') } : {}),
      annotations: TOOLS[name].hints,
    };
  });
}

/** A tool's document, as structured content and as the same JSON in text for clients without it. */
function toolResult(doc: unknown): CallToolResult {
  const structured = (doc ?? {}) as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }],
    structuredContent: structured,
  };
}

/**
 * A refused or failed operation as a tool error (`isError: true`), which the agent reads and can
 * act on, rather than a protocol error: `E_CODE: message`, then each problem of an invalid input
 * on its own line. An error that is not cutover's own says only that it happened, as the HTTP
 * API does (src/server/error-response.ts): its text (a library's, a path, a stack) goes to stderr.
 */
function toolError(err: unknown, log: (line: string) => void): CallToolResult {
  if (!isCutoverError(err)) {
    log(`cutover mcp: unexpected error: ${toCutoverError(err).message}`);
    return textError('E_INTERNAL: internal error (see the server log on stderr)');
  }
  const problems = Array.isArray(err.details['errors']) ? err.details['errors'].map(String) : [];
  const lines = [`${err.code}: ${err.message}`, ...(problems.length > 1 ? problems : [])];
  return textError(lines.join('\n'));
}

const textError = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

const isTool = (name: string): name is ToolName => Object.hasOwn(TOOLS, name);

/**
 * The MCP server of `cutover mcp`: one caller (`who`, from CUTOVER_TOKEN) for the whole session.
 * It is the SDK's low-level `Server`, not `McpServer`: McpServer validates a tool's arguments
 * itself and answers its own message, so a bad argument would be checked twice and reported
 * unlike every other cutover error; here the raw arguments go to the service, whose validation
 * is the API's and the CLI's, and its E_INVALID_INPUT names the field.
 */
export function createMcpServer(service: Service, who: Identity, log: (line: string) => void): Server {
  const server = new Server(
    { name: 'cutover', version: '0.1.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools() }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    if (!isTool(params.name))
      throw new McpError(
        ErrorCode.InvalidParams,
        `no tool ${params.name}; tools: ${Object.keys(TOOLS).join(', ')}`,
      );
    try {
      return toolResult(await TOOLS[params.name].call(service, who, params.arguments ?? {}));
    } catch (err) {
      return toolError(err, log);
    }
  });
  return server;
}
