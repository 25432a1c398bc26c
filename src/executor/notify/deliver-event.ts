import type { EventOf } from '../../core/events.js';
import type { NotifyEventName } from '../../core/notify/notify-events.js';
import { judgeAttempt, WEBHOOK_POLICY } from '../../core/notify/retry-policy.js';
import { webhookPayload } from '../../core/notify/webhook-payload.js';
import type { JournalRow } from '../../ports/journal.js';
import { deliveryId, LEASE_TTL_MS, type NotifyContext, type NotifyTarget } from './notify-context.js';

/** `delivered` or `failed` for good; `lease-lost`: another notifier holds the URL now. */
export type DeliveryEnd = 'done' | 'lease-lost';

/**
 * Delivers one journal row to one URL: attempts until one is final (retry-policy.ts), each
 * recorded before the next, the lease renewed before each. A delivery already final is not sent
 * again; one a dead notifier left half-way goes on from its next attempt number, with the same id.
 */
export async function deliverEvent(
  ctx: NotifyContext,
  target: NotifyTarget,
  row: JournalRow,
  name: NotifyEventName,
  request: EventOf<'DEPLOY_REQUESTED'> | undefined,
): Promise<DeliveryEnd> {
  const id = deliveryId(target.url, row.id);
  const done = await ctx.store.progress(id);
  if (done.final) return 'done';
  const body = JSON.stringify(webhookPayload({ deliveryId: id, name, row, request }));
  const policy = ctx.policy ?? WEBHOOK_POLICY;
  for (let attempt = done.attempts + 1; ; attempt++) {
    const held = await ctx.store.claim(target.url, ctx.holder, ctx.clock.now(), LEASE_TTL_MS);
    if (held === undefined) return 'lease-lost';
    const response = await ctx.sender.send({
      url: target.url,
      body,
      deliveryId: id,
      event: name,
      secret: target.secret,
      timeoutMs: policy.timeoutMs,
    });
    const verdict = judgeAttempt(response, attempt, policy);
    await ctx.store.recordAttempt({
      delivery_id: id,
      url: target.url,
      journal_id: row.id,
      deploy_id: row.deploy_id,
      event: name,
      attempt,
      at: ctx.clock.now().toISOString(),
      status: 'status' in response ? response.status : null,
      error: verdict.outcome === 'delivered' ? null : verdict.error,
      outcome: verdict.outcome,
    });
    if (verdict.outcome === 'failed')
      ctx.log?.(
        `webhook ${target.url}: ${name} of deploy ${row.deploy_id} failed after ${attempt} attempts: ${verdict.error}`,
      );
    if (verdict.outcome !== 'retry') return 'done';
    await ctx.sleep(verdict.afterMs);
  }
}
