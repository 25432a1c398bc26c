import { z } from 'zod';

/** Who may call `cutover serve`, from least to most allowed (README, "cutover serve"). */
export const ROLES = ['viewer', 'deployer', 'approver', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/**
 * The bearer tokens `cutover serve` accepts. Only a token's SHA-256 is written here, so
 * cutover.yaml can be read, copied and committed without handing out the token itself.
 */
export const tokensSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be a name such as alice or release-bot')
        .describe('who calls with this token: recorded in the journal as who asked'),
      role: z.enum(ROLES),
      token_sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, "must be the 64 lowercase hex digits of the token's SHA-256")
        .describe('printf %s "$TOKEN" | sha256sum'),
    }),
  )
  .default([])
  .superRefine((tokens, ctx) => {
    const seen = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (seen.has(t.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${t.name}" is listed twice` });
      seen.set(t.name, i);
    });
  });

export type TokenConfig = z.output<typeof tokensSchema>[number];
