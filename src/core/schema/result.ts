import { z } from 'zod';
import { DEPLOY_PHASES } from '../deploy-phase.js';

const nullableNumber = z.number().nullable();

export const actionLogEntrySchema = z
  .object({
    action: z.string(),
    status: z.enum(['success', 'failed', 'started']),
    percentage: z.number().optional(),
    timestamp: z.string(),
  })
  .catchall(z.unknown());

/**
 * The seed's `deploy_result` (docs/architecture.md#seed-terms), field for field and in its order,
 * then cutover's extras.
 */
export const deployResultSchema = z.object({
  /** the seed's field: `success` only once nothing is left to do (README, "Deploy states") */
  status: z.enum(['success', 'failed', 'pending']),
  version: z.string(),
  environment: z.string(),
  flag_status: z.object({
    name: z.string(),
    state: z.enum(['on', 'off', 'missing']),
    percentage: z.number().nullable(),
  }),
  actions_log: z.array(actionLogEntrySchema),
  baseline_snapshot: z.object({
    latency_p95_ms: nullableNumber,
    error_rate_5xx: nullableNumber,
    cpu_percent: nullableNumber,
    samples: z.number(),
    window_ms: z.number(),
  }),
  timestamp: z.string(),
  deploy_id: z.string(),
  state: z.enum(DEPLOY_PHASES).describe('where the deploy is; README, "Deploy states"'),
  strategy: z.enum(['fast-track', 'canary', 'manual']),
  artifact: z.object({ repository: z.string(), tag: z.string(), digest: z.string().nullable() }),
  approval: z
    .object({ state: z.enum(['pending', 'approved', 'rejected']) })
    .catchall(z.unknown())
    .optional(),
  analysis: z.array(z.record(z.string(), z.unknown())).optional(),
  canary: z.object({ percentage: z.number(), state: z.enum(['paused', 'promoted']) }).optional(),
  batches: z
    .array(
      z.object({
        batch: z.number(),
        changeset: z.string(),
        version: z.string(),
        flag: z.string(),
        status: z
          .enum(['success', 'failed', 'rolled_back', 'running', 'not_started'])
          .describe('README, "Deploy states": batches'),
        digest: z.string().nullable(),
        observation: z.object({ verdict: z.string(), reasons: z.array(z.string()) }).optional(),
      }),
    )
    .optional(),
  deadline: z
    .object({ name: z.string(), deadline: z.string(), action: z.string(), at: z.string().optional() })
    .optional(),
  recovery: z.object({ action: z.enum(['resume', 'rollback']), by: z.string(), at: z.string() }).optional(),
  reason: z.string().optional(),
  failed_step: z.string().optional(),
  rollback: z
    .object({ status: z.enum(['success', 'failed', 'started']), actions: z.array(z.string()) })
    .optional(),
  /** ssh targets: each host the deploy touched, in the order it started changing, and how it ended */
  hosts: z
    .array(
      z.object({
        host: z.string(),
        environment: z.string(),
        status: z.enum(['applying', 'applied', 'failed', 'restored', 'unreconciled', 'forgotten']),
        detail: z.string().optional(),
      }),
    )
    .optional(),
});

export type DeployResult = z.infer<typeof deployResultSchema>;
export type ActionLogEntry = z.infer<typeof actionLogEntrySchema>;
