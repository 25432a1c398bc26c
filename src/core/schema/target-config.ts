import { z } from 'zod';
import { durationOrZeroSchema, durationSchema } from './duration.js';

const port = z.number().int().min(0).max(65535);

/**
 * The router's own limits, like HAProxy's `timeout http-request`, `timeout client` and `maxconn`:
 * a head must be complete within `header_timeout` of its first byte, a request body may pause at
 * most `body_idle_timeout`, and an environment's router keeps at most `max_connections` client
 * connections (split evenly among its router processes). Past them: 408, 408, 503.
 */
export const DEFAULT_ROUTER_LIMITS = {
  header_timeout: 10_000,
  body_idle_timeout: 30_000,
  max_connections: 4096,
} as const;

const routerLimitsSchema = z.strictObject({
  header_timeout: durationSchema.default(DEFAULT_ROUTER_LIMITS.header_timeout),
  body_idle_timeout: durationSchema.default(DEFAULT_ROUTER_LIMITS.body_idle_timeout),
  max_connections: z.number().int().min(1).max(1_000_000).default(DEFAULT_ROUTER_LIMITS.max_connections),
});

/** What every target runs versions with: the same router, health and drain on one host or many. */
const runtimeFields = {
  port: port.optional(),
  // process: the unpacked image run with the host's tools (needs nothing); podman: the image
  // run as a container, pulled by digest from the environment's registry.
  runner: z.enum(['process', 'podman']).default('process'),
  health_timeout: durationSchema.default(30_000),
  // 0: stop the old version without waiting for its requests in flight
  drain_timeout: durationOrZeroSchema.default(30_000),
  router: routerLimitsSchema.default({ ...DEFAULT_ROUTER_LIMITS }),
};

export const localTargetSchema = z.strictObject({
  type: z.literal('local'),
  ...runtimeFields,
  runtime_dir: z
    .string()
    .min(1)
    .optional()
    .describe(
      "the runtime daemon's directory, relative to cutover.yaml: executors with different state dirs that name the same one act on one local target (default: runtime/ in the state dir)",
    ),
});

// `host`, `host:port` or `[v6]:port`; what ssh2 connects to and what the journal names
const hostSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/, 'must be host or host:port');

export const sshTargetSchema = z.strictObject({
  type: z.literal('ssh'),
  ...runtimeFields,
  hosts: z
    .array(hostSchema)
    .min(1, 'must list at least one host')
    .refine((hosts) => new Set(hosts).size === hosts.length, 'must not list a host twice'),
  user: z.string().min(1).default('root'),
  // without it, the ssh-agent at SSH_AUTH_SOCK; relative to cutover.yaml, `~/` the home directory
  identity_file: z.string().min(1).optional(),
  // host keys are always checked against it: an unknown key is refused, never trusted on first use
  known_hosts: z.string().min(1).default('~/.ssh/known_hosts'),
  agent_dir: z
    .string()
    .regex(/^\/[^'\n]*$/, 'must be an absolute path')
    .default('/var/lib/cutover'),
  rollout: z
    .strictObject({
      parallel: z.number().int().min(1).max(100).default(5),
      canary_hosts: z.number().int().min(0).default(1),
    })
    .default({ parallel: 5, canary_hosts: 1 }),
});

export const targetSchema = z.discriminatedUnion('type', [localTargetSchema, sshTargetSchema]);

export type LocalTargetConfig = z.output<typeof localTargetSchema>;
export type SshTargetConfig = z.output<typeof sshTargetSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type RouterLimitsConfig = z.output<typeof routerLimitsSchema>;
