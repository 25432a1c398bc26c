import { z } from 'zod';

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .regex(/^[!-~]+$/, 'must be an http(s) URL');

const embeddedFlagsSchema = z.strictObject({ type: z.literal('embedded') });

/**
 * The team's Unleash, through its Admin API. The token is never written in cutover.yaml: `token_env`
 * names the variable that holds it (an admin token, or a personal access token). Unleash OSS has
 * only the environments it ships with (development, production); `environment` names the one this
 * cutover environment is (default: the same name).
 */
const unleashFlagsSchema = z.strictObject({
  type: z.literal('unleash'),
  url: httpUrl,
  project: z.string().min(1).default('default'),
  token_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
  environment: z
    .string()
    .min(1)
    .optional()
    .describe("the Unleash environment this one is (default: this environment's own name)"),
});

/** Where an environment's feature flags live: the state dir's store, or the team's Unleash. */
export const flagsSchema = z
  .discriminatedUnion('type', [embeddedFlagsSchema, unleashFlagsSchema])
  .default({ type: 'embedded' });

export type FlagsConfig = z.output<typeof flagsSchema>;
export type UnleashFlagsConfig = z.output<typeof unleashFlagsSchema>;
