import { z } from 'zod';

const ociLayoutRegistrySchema = z.strictObject({
  type: z.literal('oci-layout'),
  path: z.string().min(1).optional(),
  repository: z.string().min(1).optional(),
});

const ociDistributionRegistrySchema = z
  .strictObject({
    type: z.literal('oci-distribution'),
    // URL() would quietly percent-encode a space or a control byte in it: refuse them instead
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .regex(/^[!-~]+$/, 'must be an http(s) URL'),
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

/** Where an environment's images are pushed: an OCI image layout, or an OCI Distribution registry. */
export const registrySchema = z
  .discriminatedUnion('type', [ociLayoutRegistrySchema, ociDistributionRegistrySchema])
  .default({ type: 'oci-layout' });

export type OciDistributionRegistryConfig = z.output<typeof ociDistributionRegistrySchema>;
