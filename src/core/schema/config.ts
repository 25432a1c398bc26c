import { z } from 'zod';
import { durationSchema } from './duration.js';
import { flagsSchema } from './flags-config.js';
import { metricsSchema } from './metrics-config.js';
import { notifySchema } from './notify-config.js';
import { registrySchema } from './registry-config.js';
import { stateSchema } from './state-config.js';
import { tokensSchema } from './tokens-config.js';
import { DEFAULT_ROUTER_LIMITS, targetSchema } from './target-config.js';

export const DEFAULT_DOD_STEPS = [
  'requirements-reviewed',
  'design-reviewed',
  'code-reviewed',
  'unit-tests',
  'integration-tests',
  'security-review',
  'load-test',
  'docs-updated',
  'rollback-tested',
] as const;

/** Loopback ports of the local runtime's routers when cutover.yaml names none. */
export const DEFAULT_ROUTER_PORTS: Record<string, number> = { production: 7080, staging: 7081 };

const environmentSchema = z.strictObject({
  target: targetSchema.default({
    type: 'local',
    runner: 'process',
    health_timeout: 30_000,
    drain_timeout: 30_000,
    router: { ...DEFAULT_ROUTER_LIMITS },
  }),
  registry: registrySchema,
  flags: flagsSchema,
  metrics: metricsSchema,
  // Resolved to staging when absent (core/environments.ts), so that only a value written here
  // is checked against the environment's own name below.
  manual: z
    .strictObject({
      apply_to: z
        .string()
        .min(1)
        .optional()
        .describe('where a manual deploy is applied to wait for approval (default: staging)'),
    })
    .optional(),
  four_eyes: z
    .boolean()
    .default(false)
    .describe('refuse the approval of a manual deploy by whoever started it (E_SELF_APPROVAL)'),
});

const configShape = z.strictObject({
  tag: z
    .strictObject({ timestamp: z.enum(['date', 'datetime']).default('date') })
    .default({ timestamp: 'date' }),
  dod: z
    .strictObject({ steps: z.array(z.string().min(1)).length(9, 'must list exactly 9 steps') })
    .default({ steps: [...DEFAULT_DOD_STEPS] }),
  baseline: z
    .strictObject({
      window: durationSchema.default(60_000),
      min_samples: z.number().int().min(1).default(20),
    })
    .default({ window: 60_000, min_samples: 20 }),
  state: stateSchema,
  /** The local runtime daemon: `metrics_listen` serves its `/metrics` there (default: off). */
  runtime: z
    .strictObject({
      metrics_listen: z
        .string()
        .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464')
        .optional(),
    })
    .default({}),
  /** One deploy per environment: a holder that stops renewing its lock loses it after `ttl`. */
  lock: z.strictObject({ ttl: durationSchema.default(30_000) }).default({ ttl: 30_000 }),
  /**
   * Signed checkpoints of the journal's head. `signing_key`: a PEM ed25519 private key, for those
   * who deploy; `public_key`: its public half, for those who only verify. Both must live outside
   * the state dir; relative paths are relative to this file.
   */
  audit: z
    .strictObject({
      signing_key: z.string().min(1).optional(),
      public_key: z.string().min(1).optional(),
    })
    .default({}),
  /** Webhooks: journal events POSTed, signed, to each URL (README, "Webhooks"). */
  notify: notifySchema,
  tokens: tokensSchema,
  environments: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase name'), environmentSchema)
    .default({})
    .superRefine((environments, ctx) => {
      // A manual deploy goes live where it waits for approval: that cannot be its own target.
      for (const [name, env] of Object.entries(environments)) {
        if (env.manual?.apply_to !== name) continue;
        ctx.addIssue({
          code: 'custom',
          path: [name, 'manual', 'apply_to'],
          message: `must not be ${name} itself: a manual deploy goes live there while it waits for approval; name another environment, e.g. staging`,
        });
      }
    }),
});

export const configSchema = configShape.superRefine((config, ctx) => {
  // A filter naming an environment that cannot exist would silently never match.
  const known = new Set([...BUILTIN_ENVIRONMENTS, ...Object.keys(config.environments)]);
  config.notify.forEach((target, index) =>
    target.environments?.forEach((name, at) => {
      if (!known.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['notify', index, 'environments', at],
          message: `unknown environment "${name}": one of ${[...known].join(', ')}`,
        });
    }),
  );
});

export type Config = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type {
  LocalTargetConfig,
  RouterLimitsConfig,
  SshTargetConfig,
  TargetConfig,
} from './target-config.js';
export { DEFAULT_ROUTER_LIMITS } from './target-config.js';
export type RegistryConfig = EnvironmentConfig['registry'];
export type AuditConfig = z.output<typeof configSchema>['audit'];
export type { OciDistributionRegistryConfig } from './registry-config.js';
export type { FlagsConfig, UnleashFlagsConfig } from './flags-config.js';
export type { PrometheusMetricsConfig } from './metrics-config.js';
export type { NotifyTargetConfig } from './notify-config.js';

/** Environment names that exist without being configured. */
export const BUILTIN_ENVIRONMENTS = Object.keys(DEFAULT_ROUTER_PORTS);
