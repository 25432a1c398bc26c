import { z } from 'zod';

/** A flag's state, as a rollback puts it back or a step sets it. */
const flagState = z.strictObject({
  state: z.enum(['on', 'off']),
  percentage: z.number().int().min(0).max(100),
});

/** Who serves how much: a version by its tag (the new one's tag before it exists) and its weight. */
const weights = z.array(z.strictObject({ tag: z.string(), weight: z.number().min(0).max(100) }));

/**
 * How an observation is judged (strategy `analysis`), and against what: the stable version in
 * the same window, the pre-deploy baseline, or nothing (no traffic before: only the 5xx ceiling).
 */
const common = {
  compared_with: z.enum(['stable', 'baseline', 'nothing']),
  min_requests: z.number(),
  max_error_rate_5xx: z.number(),
  on_inconclusive: z.enum(['extend', 'fail', 'pass-with-warning']),
};
export const planAnalysisSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('statistical'),
    ...common,
    confidence: z.number(),
    max_latency_increase_pct: z.number(),
    min_latency_shift_ms: z.number(),
  }),
  z.strictObject({ method: z.literal('threshold'), ...common, max_latency_p95_increase_pct: z.number() }),
]);

/** An observation window: `window_ms`, or up to `max_window_ms` when an inconclusive one is extended. */
const watched = {
  window_ms: z.number(),
  max_window_ms: z.number(),
  analysis: planAnalysisSchema,
};

/** One step of a batch, in the order the executor runs them. */
export const planStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('PREFLIGHT'), note: z.string() }),
  z.strictObject({ step: z.literal('BUILD'), tag: z.string() }),
  z.strictObject({ step: z.literal('PUSH'), registry: z.string(), repository: z.string(), tag: z.string() }),
  z.strictObject({
    step: z.literal('APPLY'),
    environment: z.string(),
    health_timeout_ms: z.number(),
    weights,
    retire: z.array(z.string()),
  }),
  z.strictObject({ step: z.literal('FLAG'), flag: z.string(), environment: z.string(), ...flagState.shape }),
  /** a canary step's observation: the canary at `percent` beside the stable version */
  z.strictObject({ step: z.literal('ANALYSIS'), percent: z.number(), ...watched }),
  z.strictObject({ step: z.literal('STEP'), percent: z.number(), weights, flag: flagState }),
  z.strictObject({ step: z.literal('PROMOTE'), weights, retire: z.array(z.string()) }),
  /** a batch (or a watched fast-track deploy) observed at 100 % against its baseline */
  z.strictObject({
    step: z.literal('OBSERVE'),
    why: z.enum(['batching.observe', 'fast_track.watch']),
    ...watched,
  }),
  z.strictObject({
    step: z.literal('AWAIT'),
    awaiting: z.enum(['promote', 'approval']),
    environment: z.string(),
    after_ms: z.number(),
    on_timeout: z.string(),
  }),
]);

/** One undo action, in the order a rollback runs them. */
export const planRollbackActionSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('ROLLBACK_FLAG'),
    batch: z.number().int().min(1),
    flag: z.string(),
    environment: z.string(),
    to: flagState,
  }),
  /** traffic and running versions back to the snapshot taken before the first APPLY */
  z.strictObject({
    action: z.literal('ROLLBACK_APPLY'),
    environment: z.string(),
    to: weights,
    stop: z.array(z.string()),
  }),
]);

export const planBatchSchema = z.strictObject({
  batch: z.number().int().min(1),
  changeset: z.string(),
  service: z.string(),
  version: z.string(),
  tag: z.string(),
  flag: z.strictObject({ name: z.string(), now: flagState.nullable() }),
  steps: z.array(planStepSchema),
  /**
   * What a failure in this batch undoes: before its APPLY (preflight, build, push) the batches
   * before it; from its FLAG on (analysis, observation, promotion, a deadline) this one too.
   */
  rollback: z.strictObject({
    before_apply: z.array(planRollbackActionSchema),
    after_flag: z.array(planRollbackActionSchema),
  }),
});

export const planDeadlineSchema = z.strictObject({
  name: z.enum(['deploy', 'approval', 'promotion', 'health']),
  after_ms: z.number(),
  counted_from: z.enum(['request', 'awaiting-approval', 'paused', 'version-start']),
  on_timeout: z.string(),
});

/**
 * `cutover plan`: what `deploy` with the same arguments would do, computed without doing it.
 * Strict objects, so a field the schema does not describe fails validation instead of slipping by.
 */
export const deployPlanSchema = z.strictObject({
  would_start: z.boolean(),
  environment: z.string(),
  apply_environment: z.string(),
  mode: z.enum(['fast-track', 'canary', 'manual']),
  preflight: z.strictObject({
    passed: z.boolean(),
    checks: z.array(
      z.strictObject({
        name: z.enum(['dod', 'feature_flag', 'rollback_plan', 'baseline']),
        ok: z.boolean(),
        detail: z.string(),
      }),
    ),
  }),
  /** what the deploy would do before its own first step (recover an interrupted deploy, …) */
  before: z.array(z.string()),
  serving: weights,
  batches: z.array(planBatchSchema).min(1),
  ends_with: z.enum(['success', 'paused', 'awaiting-approval']),
  deadlines: z.array(planDeadlineSchema),
  /** the observation windows added up: all first verdicts conclusive, and every one extended */
  observation_ms: z.strictObject({ min: z.number(), max: z.number() }),
  warnings: z.array(z.string()),
});

/** The document `cutover plan --output json` prints. */
export const planDocumentSchema = z.strictObject({ plan: deployPlanSchema });

export type DeployPlan = z.infer<typeof deployPlanSchema>;
export type PlanStep = z.infer<typeof planStepSchema>;
export type PlanBatch = z.infer<typeof planBatchSchema>;
export type PlanAnalysis = z.infer<typeof planAnalysisSchema>;
export type PlanRollbackAction = z.infer<typeof planRollbackActionSchema>;
export type PlanDeadline = z.infer<typeof planDeadlineSchema>;
export type PlanWeights = z.infer<typeof weights>;
