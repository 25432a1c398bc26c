import { z } from 'zod';
import { ENV_NAME } from '../allowed-env.js';
import { NOTIFY_EVENT_NAMES } from '../notify/notify-events.js';

// An enum, so that `cutover schema config` lists the names for editors.
const eventName = z.enum(NOTIFY_EVENT_NAMES, {
  error: (issue) =>
    `unknown event ${JSON.stringify(issue.input)}: must be a journal event type (DEPLOY_FAILED, DEPLOY_SUCCEEDED, ROLLBACK_FAILED, … as \`cutover log\` shows them) or AWAITING_APPROVAL`,
});

/**
 * One webhook: journal events POSTed as JSON to `url`, signed with the HMAC key held by the
 * variable `secret_env` names (never the key itself: this file is not a place for secrets).
 * See README, "Webhooks".
 */
export const notifyTargetSchema = z.strictObject({
  // URL() would quietly percent-encode a space or a control byte in it: refuse them instead
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .regex(/^[!-~]+$/, 'must be an http(s) URL'),
  events: z.array(eventName).min(1, 'must list at least one event'),
  secret_env: z.string().regex(ENV_NAME, 'must be the name of an environment variable'),
  environments: z.array(z.string().min(1)).min(1).optional(),
});

/** cutover.yaml's `notify`: each URL once, since a URL is what a delivery's cursor belongs to. */
export const notifySchema = z
  .array(notifyTargetSchema)
  .default([])
  .superRefine((targets, ctx) => {
    targets.forEach((target, index) => {
      const first = targets.findIndex((t) => t.url === target.url);
      if (first !== index)
        ctx.addIssue({
          code: 'custom',
          path: [index, 'url'],
          message: `the same URL as notify[${first}]: list its events in one entry`,
        });
    });
  });

export type NotifyTargetConfig = z.output<typeof notifyTargetSchema>;
