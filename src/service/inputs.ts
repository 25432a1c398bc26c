import { z } from 'zod';
import { DEPLOY_PHASES } from '../core/deploy-phase.js';
import { MODES, strategySchema, type Strategy } from '../core/schema/strategy.js';
import { validateValue } from '../inputs/load-yaml.js';

/**
 * What each operation of the service takes, one zod schema each: the HTTP API validates bodies
 * and queries with them and generates /api/openapi.json from them, and an MCP server can list them
 * as its tools' input schemas. Strategies and changesets are checked again by their own schemas.
 */
const environment = z.string().min(1).describe('production, staging, or one from cutover.yaml');

export const strategyInput = z
  .union([z.enum(MODES), z.looseObject({ mode: z.enum(MODES) })])
  .describe('a mode (its defaults) or a whole strategy document, as strategy.yaml holds it');

export const deployInput = z.strictObject({
  changesets: z
    .array(z.string().min(1))
    .min(1)
    .describe('paths of changeset.yaml files on the server, deployed as one train when several'),
  strategy: strategyInput,
  environment,
});

export const submitInput = z.strictObject({
  changeset: z.string().min(1).describe('path of a changeset.yaml on the server'),
  environment,
  strategy: strategyInput.optional(),
});

export const approveInput = z.strictObject({
  strategy: z.enum(['fast-track', 'canary']).default('fast-track'),
});
export const abortInput = z.strictObject({ reason: z.string().min(1).default('aborted by operator') });
export const rollbackInput = z.strictObject({
  reason: z.string().min(1).default('rolled back by operator'),
  force: z.boolean().default(false),
});
export const noInput = z.strictObject({});

export const listInput = z.strictObject({
  environment: environment.optional(),
  state: z.enum(DEPLOY_PHASES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const flagSetInput = z.strictObject({
  environment,
  state: z.enum(['on', 'off']),
  percentage: z.number().int().min(0).max(100).optional(),
});

export const eventsInput = z.strictObject({
  deploy: z.string().min(1).optional().describe("only this deploy's events"),
  environment: environment.optional(),
  after: z.coerce.number().int().min(0).optional().describe('resume after this journal position'),
});

/** Validates `value` against `schema`; E_INVALID_INPUT naming every bad field (`body: changesets: …`). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  return validateValue(value, schema, 'request', where);
}

/** A mode word or a strategy document, as `--strategy` reads a word or a file. */
export function strategyOf(value: z.output<typeof strategyInput>): Strategy {
  const doc = typeof value === 'string' ? { mode: value } : value;
  return validateValue(doc, strategySchema, 'request', 'body: strategy');
}
