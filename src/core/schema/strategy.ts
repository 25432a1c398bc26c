import { z } from 'zod';
import { durationOrZeroSchema, durationSchema } from './duration.js';

export const MODES = ['fast-track', 'canary', 'manual'] as const;
export type Mode = (typeof MODES)[number];

const percent = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be between 1 and 100')
  .max(100, 'must be between 1 and 100');

export const canarySchema = z.strictObject({
  steps: z
    .array(percent)
    .min(1)
    .default([5])
    .refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]!), 'must be strictly increasing'),
  observe: durationSchema.default(120_000),
});

/**
 * How a canary (or a watched batch) is judged. `statistical` (the default) compares the canary's
 * requests with the stable version's over the same window, as Kayenta does: a Mann-Whitney U test
 * plus effect sizes for latency, a proportion test plus a ceiling for 5xx (src/core/stats/).
 * `threshold` is the old rule, a canary p95 against the baseline p95, kept for comparison.
 * `on_inconclusive` (too few requests on a side): `extend` observes once more for the same
 * window and judges all of it, then fails; `fail` fails at once; `pass-with-warning` passes.
 */
export const analysisSchema = z.strictObject({
  method: z.enum(['statistical', 'threshold']).default('statistical'),
  confidence: z
    .number()
    .gt(0, 'must be between 0 and 1 (e.g. 0.98)')
    .lt(1, 'must be between 0 and 1 (e.g. 0.98)')
    .default(0.98),
  max_latency_increase_pct: z.number().min(0).max(100_000).default(20),
  min_latency_shift_ms: z.number().min(0).max(3_600_000).default(5),
  max_error_rate_5xx: z.number().min(0).max(100).default(1.0),
  min_requests: z.number().int().min(1).max(1_000_000_000).default(50),
  on_inconclusive: z.enum(['extend', 'fail', 'pass-with-warning']).default('extend'),
  /** the threshold method's latency rule */
  max_latency_p95_increase_pct: z.number().min(0).default(20),
});

/**
 * `watch`: after a fast-track deploy reaches 100 %, how long the new version is observed and
 * judged against the baseline before the deploy reports success (a failing verdict rolls it
 * back). 0, the default, is the seed's fast-track (docs/architecture.md#seed-terms): success as
 * soon as the flag is ON 100 %.
 */
export const fastTrackSchema = z.strictObject({
  watch: durationOrZeroSchema.default(0),
});

export const batchingSchema = z.strictObject({
  window: durationSchema.default(600_000),
  observe: durationSchema.default(60_000),
});

const deadline = <A extends [string, ...string[]]>(after: number, actions: A) =>
  z
    .strictObject({ after: durationSchema.default(after), on_timeout: z.enum(actions).default(actions[0]) })
    .default({ after, on_timeout: actions[0] } as never);

/**
 * Every wait ends: the whole deploy (health checks and observations included), an approval a
 * manual deploy waits for, a canary left at a step waiting for `promote`.
 */
export const deadlinesSchema = z.strictObject({
  deploy: deadline(1_800_000, ['rollback']),
  approval: deadline(86_400_000, ['reject']),
  promotion: deadline(86_400_000, ['abort', 'promote']),
});

export const strategySchema = z.strictObject({
  mode: z.enum(MODES),
  canary: canarySchema.default({ steps: [5], observe: 120_000 }),
  analysis: analysisSchema.default(analysisSchema.parse({})),
  fast_track: fastTrackSchema.default({ watch: 0 }),
  batching: batchingSchema.default({ window: 600_000, observe: 60_000 }),
  deadlines: deadlinesSchema.default({
    deploy: { after: 1_800_000, on_timeout: 'rollback' },
    approval: { after: 86_400_000, on_timeout: 'reject' },
    promotion: { after: 86_400_000, on_timeout: 'abort' },
  }),
});

export type Strategy = z.output<typeof strategySchema>;
export type CanaryPolicy = z.output<typeof canarySchema>;
export type AnalysisPolicy = z.output<typeof analysisSchema>;

export function isMode(word: string): word is Mode {
  return (MODES as readonly string[]).includes(word);
}
