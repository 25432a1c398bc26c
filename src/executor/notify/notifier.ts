import { flushNotifications, registerTargets } from './flush-notifications.js';
import type { NotifyContext } from './notify-context.js';

export interface RunningNotifier {
  /** look at the journal now rather than at the next interval (e.g. after an append) */
  wake(): void;
  /** no flush starts after this; resolves once the one under way, if any, has ended */
  stop(): Promise<void>;
}

/**
 * A notifier for a long-running process (`cutover serve`): registers the URLs, then flushes
 * every `intervalMs` milliseconds or when woken, until stopped. A flush that fails (the store
 * away) is logged and tried again at the next turn; nothing is lost, since the cursors only move
 * once an event is handled.
 *
 * @example
 * const notifier = startNotifier(ctx, { intervalMs: 2000 });
 * journalAppended.on('row', () => notifier.wake());
 * await notifier.stop();
 */
export function startNotifier(ctx: NotifyContext, { intervalMs = 2_000 } = {}): RunningNotifier {
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    let registered = false;
    while (!stopped) {
      try {
        if (!registered) await registerTargets(ctx.store, ctx.feed, ctx.targets);
        registered = true;
        await flushNotifications(ctx);
      } catch (err) {
        ctx.log?.(`webhooks: ${err instanceof Error ? err.message : String(err)}; trying again`);
      }
      if (!stopped) await pause();
    }
  })();
  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
