import type { EventOf } from '../../core/events.js';
import { subscribedName } from '../../core/notify/notify-events.js';
import type { JournalFeed, NotificationStore } from '../../ports/notifications.js';
import { deliverEvent } from './deliver-event.js';
import { FEED_BATCH, LEASE_TTL_MS, type NotifyContext, type NotifyTarget } from './notify-context.js';

/**
 * Makes each URL of cutover.yaml known to the store with its cursor at the journal's head, so a
 * webhook added to an old project hears what happens from now on, not its whole history. Run
 * before a command appends anything (and when a server starts): that command's events are after
 * the cursor.
 */
export async function registerTargets(
  store: NotificationStore,
  feed: JournalFeed,
  targets: readonly { url: string }[],
): Promise<void> {
  if (targets.length === 0) return;
  const head = await feed.head();
  for (const { url } of targets) await store.register(url, head);
}

/**
 * Delivers, to every URL, the subscribed events after its cursor, in journal order, and returns
 * once each has caught up with the journal or is another notifier's to deliver (its lease held).
 * URLs are served side by side, so a dead receiver delays only its own deliveries.
 *
 * @example await flushNotifications({ store, feed, sender, targets, clock, sleep, holder });
 */
export async function flushNotifications(ctx: NotifyContext): Promise<void> {
  await Promise.all(ctx.targets.map((target) => flushTarget(ctx, target)));
}

async function flushTarget(ctx: NotifyContext, target: NotifyTarget): Promise<void> {
  for (;;) {
    const cursor = await ctx.store.claim(target.url, ctx.holder, ctx.clock.now(), LEASE_TTL_MS);
    if (cursor === undefined) return;
    let reached: number;
    try {
      reached = await drain(ctx, target, cursor);
    } finally {
      await ctx.store.release(target.url, ctx.holder);
    }
    // A notifier that found the lease held while we had it left its events to us: look once more.
    if ((await ctx.feed.after(reached, 1)).length === 0) return;
  }
}

/** Delivers from `cursor` until the journal has nothing more or the lease is lost; returns the cursor. */
async function drain(ctx: NotifyContext, target: NotifyTarget, from: number): Promise<number> {
  const requests = requestCache(ctx.feed);
  let cursor = from;
  for (;;) {
    const rows = await ctx.feed.after(cursor, FEED_BATCH);
    if (rows.length === 0) return cursor;
    for (const row of rows) {
      const request = await requests(row.deploy_id);
      const name = subscribedName(target, row.event, request);
      if (name) {
        if ((await deliverEvent(ctx, target, row, name, request)) === 'lease-lost') return cursor;
        if (!(await ctx.store.advance(target.url, ctx.holder, row.id))) return cursor;
      }
      cursor = row.id;
    }
    if (!(await ctx.store.advance(target.url, ctx.holder, cursor))) return cursor;
  }
}

function requestCache(feed: JournalFeed) {
  const known = new Map<string, Promise<EventOf<'DEPLOY_REQUESTED'> | undefined>>();
  return (deployId: string) => {
    let found = known.get(deployId);
    if (!found) known.set(deployId, (found = feed.request(deployId)));
    return found;
  };
}
