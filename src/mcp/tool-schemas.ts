import { z } from 'zod';
import { planDocumentSchema } from '../core/schema/plan.js';
import { deployResultSchema } from '../core/schema/result.js';
import * as inputs from '../service/inputs.js';

/**
 * The tools' arguments, each the service's own input schema (service/inputs.ts) plus, for a verb
 * on one deploy, the `deploy_id` the HTTP API takes from its path. The service validates the
 * arguments again with its schema: these are what tools/list publishes.
 */
export const deployId = z.string().min(1).describe('a deploy id, or a unique prefix of one');

const onDeploy = <S extends z.ZodObject>(schema: S) => schema.extend({ deploy_id: deployId });

export const toolInputs = {
  plan: inputs.deployInput,
  deploy: inputs.deployInput,
  list: inputs.listInput,
  status: onDeploy(inputs.noInput),
  log: onDeploy(inputs.noInput),
  approve: onDeploy(inputs.approveInput),
  reject: onDeploy(inputs.noInput),
  promote: onDeploy(inputs.noInput),
  abort: onDeploy(inputs.abortInput),
  rollback: onDeploy(inputs.rollbackInput),
} satisfies Record<string, z.ZodObject>;

export type ToolName = keyof typeof toolInputs;

/** One journal row as `cutover log --output json` prints it; `event.type` names the event. */
const journalRow = z.looseObject({
  id: z.number().int().describe('global position in the journal'),
  deploy_id: z.string(),
  seq: z.number().int().describe('position within the deploy'),
  at: z.string().describe('ISO 8601'),
  event: z.looseObject({ type: z.string() }),
  prev_hash: z.string(),
  hash: z.string(),
});

const started = z.strictObject({ deploy_id: z.string().describe('the new deploy: follow it with status') });
const result = z.strictObject({ deploy_result: deployResultSchema });

/** What each tool answers as structured content; the same documents the HTTP API answers. */
export const toolOutputs: Partial<Record<ToolName, z.ZodObject>> = {
  plan: planDocumentSchema,
  deploy: started,
  status: result,
  log: z.strictObject({ rows: z.array(journalRow) }),
  approve: started,
  reject: z.strictObject({ deploy_id: z.string(), state: z.literal('rejected') }),
  promote: result,
  abort: result,
  rollback: result,
};

/**
 * A zod schema as the JSON Schema MCP clients read: draft-07, which the SDK's client validates
 * results with (ajv); `io` says whether defaults make a field optional (input) or present (output).
 */
export function jsonSchemaOf(
  schema: z.ZodType,
  io: 'input' | 'output',
): { type: 'object' } & Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, target: 'draft-7', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...json, type: 'object' };
}
