import { z } from 'zod';
import { durationSchema } from './duration.js';

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

const port = z.number().int().min(0).max(65535);

const localTargetSchema = z.strictObject({
  type: z.literal('local'),
  port: port.optional(),
  health_timeout: durationSchema.default(30_000),
  drain_timeout: durationSchema.default(30_000),
});

const ociLayoutRegistrySchema = z.strictObject({
  type: z.literal('oci-layout'),
  path: z.string().min(1).optional(),
  repository: z.string().min(1).optional(),
});

const ociDistributionRegistrySchema = z
  .strictObject({
    type: z.literal('oci-distribution'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    repository: z
      .string()
      .regex(
        /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/,
        'must be an OCI repository name',
      )
      .optional(),
    username: z.string().min(1).optional(),
    password_env: z.string().min(1).optional(),
    token_env: z.string().min(1).optional(),
    insecure: z.boolean().default(false),
    verify: z.enum(['digest', 'full']).default('digest'),
  })
  .refine((r) => !(r.password_env && r.token_env), {
    message: 'give password_env or token_env, not both',
    path: ['token_env'],
  });

const embeddedFlagsSchema = z.strictObject({ type: z.literal('embedded') });
const embeddedMetricsSchema = z.strictObject({ type: z.literal('embedded') });

const environmentSchema = z.strictObject({
  target: localTargetSchema.default({ type: 'local', health_timeout: 30_000, drain_timeout: 30_000 }),
  registry: z
    .discriminatedUnion('type', [ociLayoutRegistrySchema, ociDistributionRegistrySchema])
    .default({ type: 'oci-layout' }),
  flags: embeddedFlagsSchema.default({ type: 'embedded' }),
  metrics: embeddedMetricsSchema.default({ type: 'embedded' }),
  manual: z.strictObject({ apply_to: z.string().min(1).default('staging') }).default({ apply_to: 'staging' }),
});

export const configSchema = z.strictObject({
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
  environments: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase name'), environmentSchema)
    .default({}),
});

export type Config = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type LocalTargetConfig = z.output<typeof localTargetSchema>;
export type RegistryConfig = EnvironmentConfig['registry'];
export type AuditConfig = z.output<typeof configSchema>['audit'];
export type OciDistributionRegistryConfig = z.output<typeof ociDistributionRegistrySchema>;

/** Environment names that exist without being configured. */
export const BUILTIN_ENVIRONMENTS = Object.keys(DEFAULT_ROUTER_PORTS);
