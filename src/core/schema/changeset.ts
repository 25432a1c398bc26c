import { z } from 'zod';
import { urlPathSchema } from './url-path.js';
import { ENV_NAME } from '../allowed-env.js';
import { buildFormProblems, imageBuildShape } from './build-form.js';

/**
 * Identities are text. YAML reads `version: 2.0` as the number 2 and `1.10` as 1.1, so a number
 * here is refused (with a hint to quote it, see issues.ts) rather than turned back into a string
 * that is not what the operator wrote.
 */
const identity = z.string().min(1, 'must not be empty');

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const FLAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const dodStepSchema = z.strictObject({
  step: z.string().min(1),
  done: z.boolean(),
});

export const rollbackPlanSchema = z.strictObject({
  kind: z.enum(['previous-version', 'flag-off', 'custom']),
  notes: z.string().optional(),
  steps: z.array(z.string().min(1)).optional(),
});

export const runSchema = z.strictObject({
  command: z.array(z.string().min(1)).min(1).default(['npm', 'start']),
  health_path: urlPathSchema.default('/health'),
  env: z.record(z.string(), z.string()).default({}),
});

export const buildSchema = z.strictObject({
  command: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
  // The command gets an allow-listed environment; these CLI variables are passed on too.
  pass_env: z.array(z.string().regex(ENV_NAME, 'must be an environment variable name')).optional(),
  ...imageBuildShape,
});

export const changesetSchema = z
  .strictObject({
    id: identity,
    service: z.string().regex(NAME, 'must be a lowercase DNS label (a-z, 0-9, -)'),
    version: identity,
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hex commit sha of at least 7 characters'),
    source: z.string().min(1).optional(),
    build: buildSchema.optional(),
    // PREFLIGHT, not the schema, judges an incomplete DoD or a missing rollback plan, so that
    // the deploy result can name them as a failed check rather than a malformed file.
    dod: z.array(dodStepSchema).default([]),
    feature_flag: z.string().regex(FLAG, 'must be a flag name (letters, digits, . _ -)'),
    rollback_plan: rollbackPlanSchema.optional(),
    run: runSchema.default({ command: ['npm', 'start'], health_path: '/health', env: {} }),
  })
  .superRefine((cs, ctx) => {
    for (const { path, message } of buildFormProblems(cs.source, cs.build))
      ctx.addIssue({ code: 'custom', path, message });
  });

export type Changeset = z.output<typeof changesetSchema>;
export type DodStep = z.output<typeof dodStepSchema>;
export type RollbackPlan = z.output<typeof rollbackPlanSchema>;
export type RunSpec = z.output<typeof runSchema>;
