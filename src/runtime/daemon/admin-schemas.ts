import { z } from 'zod';

/** The bodies the admin API accepts (admin-routes.ts), checked before the runtime sees them. */
const port = z.number().int().min(0).max(65535);

export const settingsSchema = z.strictObject({
  port,
  stickiness_header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
    .optional(),
  group_id: z.string().min(1).optional(),
  limits: z
    .strictObject({
      header_timeout_ms: z.number().int().positive(),
      body_idle_timeout_ms: z.number().int().positive(),
      max_connections: z.number().int().positive(),
    })
    .optional(),
});

export const startSchema = z.strictObject({
  release: z.strictObject({
    repository: z.string().min(1),
    tag: z.string().min(1),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex>'),
  }),
  layoutDir: z.string().min(1),
  healthTimeoutMs: z.number().int().positive(),
  container: z
    .strictObject({
      // an image reference or `oci:<dir>:<tag>`; never an option podman would read as a flag
      image: z.string().regex(/^[^-\s][^\s]*$/, 'must be an image reference'),
      tls_verify: z.boolean(),
      cli_pulls: z.boolean().optional(),
      resources: z
        .strictObject({
          memory: z
            .string()
            .regex(/^[1-9][0-9]*[bkmg]?$/)
            .optional(),
          cpus: z.number().positive().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const weightsSchema = z.record(z.string(), z.number());

export const publishedFlagsSchema = z.strictObject({
  flags: z.array(
    z.strictObject({
      name: z.string().min(1),
      state: z.enum(['on', 'off']),
      percentage: z.number().int().min(0).max(100),
    }),
  ),
});
